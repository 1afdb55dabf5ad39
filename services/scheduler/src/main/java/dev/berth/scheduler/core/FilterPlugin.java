package dev.berth.scheduler.core;

import java.time.Instant;

/** Decides whether a pod may run on a node at all (Kubernetes' Filter extension point). */
public interface FilterPlugin {
    String name();

    /** null when the node passes, else the reason counted in messages, e.g. "Insufficient memory". */
    String filter(PodRequest pod, NodeView node, Instant now);

    /**
     * Kubernetes' PreFilter: called once per pod before its nodes are filtered, so work that depends
     * only on the pod is not repeated per node. Returns the filter to run on every node for this pod,
     * or null when the pod gives this plugin nothing to check (e.g. no node selector).
     */
    default FilterPlugin forPod(PodRequest pod) { return this; }
}
