package dev.berth.scheduler.core;

/** Ranks a node that passed every filter (Kubernetes' Score extension point). */
public interface ScorePlugin {
    String name();

    /** 0..100, higher is better. */
    double score(PodRequest pod, NodeView node);

    /**
     * Kubernetes' PreScore: called once per pod before its nodes are scored, with the state to read
     * what the plugin needs about the pod (e.g. where its deployment's replicas are). Returns the
     * scorer for this pod's nodes, under the same name; it must not change {@code state}.
     */
    default ScorePlugin forPod(PodRequest pod, SchedulerState state) { return this; }
}
