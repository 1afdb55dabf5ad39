package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import dev.berth.scheduler.core.ScorePlugin;

/**
 * Spreads pods: the mean of the free cpu fraction and the free memory fraction the node would have
 * after placing the pod, times 100.
 */
public record LeastAllocated() implements ScorePlugin {

    @Override public String name() { return "LeastAllocated"; }

    @Override
    public double score(PodRequest pod, NodeView node) {
        double cpu = freeFraction(node.capacity().cpuMillis(), node.allocated().cpuMillis() + pod.resources().cpuMillis());
        double memory = freeFraction(node.capacity().memoryBytes(), node.allocated().memoryBytes() + pod.resources().memoryBytes());
        return (cpu + memory) / 2 * 100;
    }

    private static double freeFraction(long capacity, long used) {
        if (capacity <= 0) return 0;
        return Math.max(0, Math.min(1, (double) (capacity - used) / capacity));
    }
}
