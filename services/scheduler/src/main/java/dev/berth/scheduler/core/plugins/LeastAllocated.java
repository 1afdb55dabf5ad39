package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import dev.berth.scheduler.core.ScorePlugin;

/**
 * Spreads pods (policy SPREAD): the mean of the free cpu fraction and the free memory fraction the
 * node would have after placing the pod, times 100. An empty node scores 100.
 */
public record LeastAllocated() implements ScorePlugin {

    @Override public String name() { return "LeastAllocated"; }

    @Override
    public double score(PodRequest pod, NodeView node) {
        double cpuFree = 1 - Fractions.cpuUsed(pod, node);
        double memoryFree = 1 - Fractions.memoryUsed(pod, node);
        return (cpuFree + memoryFree) / 2 * 100;
    }
}
