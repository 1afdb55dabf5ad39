package dev.berth.node.core;

import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's state: the pods placed on it (desired, from berth.placements), what its runtime really
 * runs (actual), the status last reported for each container (what {@link NodeCore#statusReport} sends
 * again), and how it backs off restarts. Immutable: every change returns a new state.
 */
public record NodeState(String node, RestartBackoff backoff, Map<String, PodPlaced> desired, Map<String, PodRuntime> actual,
                        Map<String, PodStatusChanged> reported) {

    public NodeState {
        // Sorted by pod name: decisions come out in the same order every time (replays, tests).
        desired = Collections.unmodifiableMap(new TreeMap<>(desired));
        actual = Collections.unmodifiableMap(new TreeMap<>(actual));
        reported = Collections.unmodifiableMap(new TreeMap<>(reported));
    }

    public static NodeState empty(String node, RestartBackoff backoff) {
        return new NodeState(node, backoff, Map.of(), Map.of(), Map.of());
    }

    public static NodeState empty(String node) { return empty(node, RestartBackoff.DEV_DEFAULTS); }

    NodeState withDesired(String pod, PodPlaced placement) {
        Map<String, PodPlaced> d = new TreeMap<>(desired);
        if (placement == null) d.remove(pod); else d.put(pod, placement);
        return new NodeState(node, backoff, d, actual, reported);
    }

    NodeState withActual(String pod, PodRuntime runtime) {
        Map<String, PodRuntime> a = new TreeMap<>(actual);
        if (runtime == null) a.remove(pod); else a.put(pod, runtime);
        return new NodeState(node, backoff, desired, a, reported);
    }

    /** The status just reported for a container; a container no longer known has nothing to report again. */
    NodeState withReported(PodStatusChanged status) {
        Map<String, PodStatusChanged> r = new TreeMap<>(reported);
        if (actual.containsKey(status.pod())) r.put(status.pod(), status); else r.remove(status.pod());
        return new NodeState(node, backoff, desired, actual, r);
    }

    /** The pod's restart policy while it is placed here; a pod no longer placed here is never restarted. */
    RestartPolicy policy(String pod) {
        PodPlaced p = desired.get(pod);
        return p == null ? RestartPolicy.Never : RestartPolicy.of(p.template().restartPolicy());
    }
}
