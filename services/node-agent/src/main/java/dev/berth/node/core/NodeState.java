package dev.berth.node.core;

import dev.berth.bus.contract.PodPlaced;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's state: the pods placed on it (desired, from berth.placements) and what its runtime
 * really runs (actual). Immutable: every change returns a new state.
 */
public record NodeState(String node, Map<String, PodPlaced> desired, Map<String, PodRuntime> actual) {

    public NodeState {
        desired = Map.copyOf(desired);
        actual = Map.copyOf(actual);
    }

    public static NodeState empty(String node) { return new NodeState(node, Map.of(), Map.of()); }

    NodeState withDesired(String pod, PodPlaced placement) {
        Map<String, PodPlaced> d = new TreeMap<>(desired);
        if (placement == null) d.remove(pod); else d.put(pod, placement);
        return new NodeState(node, d, actual);
    }

    NodeState withActual(String pod, PodRuntime runtime) {
        Map<String, PodRuntime> a = new TreeMap<>(actual);
        if (runtime == null) a.remove(pod); else a.put(pod, runtime);
        return new NodeState(node, desired, a);
    }
}
