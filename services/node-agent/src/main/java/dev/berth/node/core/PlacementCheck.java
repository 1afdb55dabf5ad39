package dev.berth.node.core;

import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a placement record is one the node can act on. The scheduler writes only good ones, but the
 * topic is a door like any other: a record failing here is set aside with the reason, never folded
 * into the node's state, so nothing downstream (reconcile, heartbeat, the runtime's file paths built
 * from the pod's name) ever meets a missing template or a pod name like {@code ../../etc}.
 */
public final class PlacementCheck {
    private PlacementCheck() {}

    /** Kubernetes' DNS-1123 label: what a pod name (and so a container id, cgroup and file name) must be. */
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_LABEL = 63;
    /** Kubernetes allows any grace period; a placement asking for more than a day is not a real one. */
    static final int MAX_GRACE_SECONDS = 86_400;

    /** Why {@code p} cannot be run, or empty when it can. */
    public static Optional<String> problem(PodPlaced p) {
        Optional<String> names = names(p.pod(), p.node());
        if (names.isPresent()) return names;
        PodTemplate t = p.template();
        if (t == null) return bad("placement of pod " + p.pod() + " has no template");
        if (t.image() == null || t.image().isBlank()) return bad("template of pod " + p.pod() + " has no image");
        ResourceRequirements r = t.resources();
        if (negative(r.requests()) || negative(r.limits())) return bad("template of pod " + p.pod() + " has negative resources");
        // Null arguments or env entries cannot get this far: the template's List.copyOf/Map.copyOf refuse them when decoded.
        if (!RestartPolicy.known(t.restartPolicy())) {
            return bad("template of pod " + p.pod() + " has unknown restartPolicy " + excerpt(t.restartPolicy()));
        }
        int grace = t.terminationGracePeriodSeconds();
        if (grace < 0 || grace > MAX_GRACE_SECONDS) {
            return bad("template of pod " + p.pod() + " has terminationGracePeriodSeconds " + grace + " outside 0.." + MAX_GRACE_SECONDS);
        }
        return Optional.empty();
    }

    public static Optional<String> problem(PodReleased r) {
        return names(r.pod(), r.node());
    }

    private static Optional<String> names(String pod, String node) {
        if (pod == null) return bad("no pod name");
        if (pod.length() > MAX_LABEL || !DNS1123_LABEL.matcher(pod).matches()) {
            return bad("pod name " + excerpt(pod) + " is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)");
        }
        if (node == null || node.isBlank()) return bad("placement of pod " + pod + " names no node");
        return Optional.empty();
    }

    private static boolean negative(ResourceList l) {
        if (l.cpuMillis() != null && l.cpuMillis() < 0) return true;
        if (l.memoryBytes() != null && l.memoryBytes() < 0) return true;
        for (Long n : l.extended().values()) if (n < 0) return true;
        return false;
    }

    private static Optional<String> bad(String why) { return Optional.of(why); }

    /** A value quoted for a reason, at most 80 characters of it. */
    static String excerpt(String s) {
        if (s == null) return "null";
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }
}
