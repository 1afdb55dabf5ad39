package dev.berth.scheduler.core;

/** Ranks a node that passed every filter (Kubernetes' Score extension point). */
public interface ScorePlugin {
    String name();

    /** 0..100, higher is better. */
    double score(PodRequest pod, NodeView node);
}
