package dev.berth.scheduler.core;

import java.time.Instant;

/** Decides whether a pod may run on a node at all (Kubernetes' Filter extension point). */
public interface FilterPlugin {
    String name();

    /** null when the node passes, else the reason counted in messages, e.g. "insufficient memory". */
    String filter(PodRequest pod, NodeView node, Instant now);
}
