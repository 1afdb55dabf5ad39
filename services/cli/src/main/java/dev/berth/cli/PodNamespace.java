package dev.berth.cli;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import java.util.List;

/**
 * A pod named on the command line resolves within -n, as in kubectl. Berth's pod names are unique in
 * the whole cluster, so the log tells which namespace a pod is in, and the answer can say so.
 */
final class PodNamespace {
    private PodNamespace() {}

    /** The pod's namespace as its events tell it (PodCreated, else PodPlaced), or null when they do not. */
    static String of(String pod, List<Envelope> log) {
        String placed = null;
        for (Envelope e : log) {
            if (e.data() instanceof PodCreated c && c.pod().equals(pod)) return c.namespace();
            if (placed == null && e.data() instanceof PodPlaced p && p.pod().equals(pod)) placed = p.namespace();
        }
        return placed;
    }

    /** Why the pod is not found in the namespaces {@code ns} shows, or null when it is (or its namespace is unknown). */
    static String mismatch(String pod, List<Envelope> log, NamespaceOptions ns) {
        String namespace = of(pod, log);
        if (namespace == null || ns.shows(namespace)) return null;
        return "pods \"" + pod + "\" not found in namespace " + ns.namespace() + " (it is in namespace " + namespace
                + ": add -n " + namespace + ")";
    }
}
