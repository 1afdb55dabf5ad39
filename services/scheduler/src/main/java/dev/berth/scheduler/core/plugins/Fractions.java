package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;

/**
 * The share of a node's cpu and memory its bound pods and this pod would use together, 0..1, as the scoring
 * plugins count it: a pod without a cpu or memory request at Kubernetes' non-zero defaults (100m, 200Mi).
 */
final class Fractions {
    private Fractions() {}

    static double cpuUsed(PodRequest pod, NodeView node) {
        return used(node.capacityCpuMillis(), node.scoredCpuMillis() + pod.scored().cpuMillis());
    }

    static double memoryUsed(PodRequest pod, NodeView node) {
        return used(node.capacityMemoryBytes(), node.scoredMemoryBytes() + pod.scored().memoryBytes());
    }

    /** A resource the node does not offer counts as fully used. */
    static double used(long capacity, long used) {
        if (capacity <= 0) return 1;
        return Math.max(0, Math.min(1, (double) used / capacity));
    }
}
