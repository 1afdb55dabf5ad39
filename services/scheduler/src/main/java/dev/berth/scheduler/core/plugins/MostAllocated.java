package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import dev.berth.scheduler.core.ScorePlugin;

/**
 * Bin-packs pods (policy BINPACK): the mean of the cpu fraction and the memory fraction the node
 * would have in use after placing the pod, times 100, so the fullest node that still fits wins and
 * emptier nodes stay free for big pods (or for being switched off). A full node scores 100.
 */
public record MostAllocated() implements ScorePlugin {

    @Override public String name() { return "MostAllocated"; }

    @Override
    public double score(PodRequest pod, NodeView node) {
        return (Fractions.cpuUsed(pod, node) + Fractions.memoryUsed(pod, node)) / 2 * 100;
    }
}
