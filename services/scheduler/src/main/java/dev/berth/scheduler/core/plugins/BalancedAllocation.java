package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import dev.berth.scheduler.core.ScorePlugin;

/**
 * Prefers nodes whose cpu and memory would be used in equal shares after placing the pod, so a node
 * does not run out of one while the other sits idle (Kubernetes' NodeResourcesBalancedAllocation):
 * 100 × (1 − the standard deviation of the two fractions), which for two is half their difference.
 */
public record BalancedAllocation() implements ScorePlugin {

    @Override public String name() { return "BalancedAllocation"; }

    @Override
    public double score(PodRequest pod, NodeView node) {
        double spread = Math.abs(Fractions.cpuUsed(pod, node) - Fractions.memoryUsed(pod, node)) / 2;
        return (1 - spread) * 100;
    }
}
