package dev.berth.node.core;

import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * How a pod's containers map onto the node's runtime ids, and which of them run when, pure. A pod of one
 * container and no init container is one runtime container whose id is the pod's name (as before several
 * containers: such pods stay adoptable across an upgrade); any other pod's containers are
 * {@code pod_container} each ({@code _} is in no DNS label, so the split is unambiguous). Init containers run
 * first, one at a time in order, each to exit 0; the app containers all start once the last one completed.
 */
public final class PodContainers {
    private PodContainers() {}

    /** Between the pod's and the container's name in a runtime id. */
    public static final char SEPARATOR = '_';

    /** Whether the pod runs as one runtime container named after it. */
    public static boolean single(PodTemplate t) {
        return t.containers().size() == 1 && t.initContainers().isEmpty();
    }

    /** The runtime id of {@code pod}'s container {@code name}. */
    public static String id(String pod, PodTemplate t, String name) {
        return single(t) ? pod : pod + SEPARATOR + name;
    }

    /** The pod a runtime id belongs to. */
    public static String podOf(String id) {
        int at = id.indexOf(SEPARATOR);
        return at < 0 ? id : id.substring(0, at);
    }

    /** The container name in a runtime id; null for a single-container pod's (whose name is its template's). */
    public static String nameOf(String id) {
        int at = id.indexOf(SEPARATOR);
        return at < 0 ? null : id.substring(at + 1);
    }

    /** The container a runtime id runs, from the pod's template; null when the template has none such. */
    public static Container containerOf(String id, PodTemplate t) {
        String name = nameOf(id);
        if (name == null) return t.main();
        return t.container(name);
    }

    /** Whether the runtime id runs one of the pod's init containers. */
    public static boolean isInit(String id, PodTemplate t) {
        String name = nameOf(id);
        if (name == null) return false;
        for (Container c : t.initContainers()) if (name.equals(c.name())) return true;
        return false;
    }

    /** An init container's run is over for good: it exited 0. */
    static boolean completed(PodRuntime r) {
        return r != null && r.state() == ContainerState.Exited && r.exitCode() != null && r.exitCode() == 0;
    }

    /**
     * The containers that should exist now: the first init container that has not completed (alone), or, once
     * every one has, all the app containers.
     */
    static List<String> wanted(NodeState s, String pod, PodTemplate t) {
        for (Container c : t.initContainers()) {
            String id = id(pod, t, c.name());
            if (!completed(s.actual().get(id))) return List.of(id);
        }
        List<String> out = new ArrayList<>(t.containers().size());
        for (Container c : t.containers()) out.add(id(pod, t, c.name()));
        return out;
    }

    /** Whether any runtime container of {@code pod} is known to the node. */
    static boolean hasAny(NodeState s, String pod) {
        if (s.actual().containsKey(pod)) return true;
        String from = pod + SEPARATOR;
        var tail = s.actualSorted().tailMap(from);
        return !tail.isEmpty() && tail.firstKey().startsWith(from);
    }
}
