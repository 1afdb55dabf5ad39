package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;

/** The share of a node's cpu and memory its bound pods and this pod would use together, 0..1. */
final class Fractions {
    private Fractions() {}

    static double cpuUsed(PodRequest pod, NodeView node) {
        return used(node.capacityCpuMillis(), node.allocatedCpuMillis() + pod.resources().cpuMillis());
    }

    static double memoryUsed(PodRequest pod, NodeView node) {
        return used(node.capacityMemoryBytes(), node.allocatedMemoryBytes() + pod.resources().memoryBytes());
    }

    /** A resource the node does not offer counts as fully used. */
    static double used(long capacity, long used) {
        if (capacity <= 0) return 1;
        return Math.max(0, Math.min(1, (double) used / capacity));
    }
}
