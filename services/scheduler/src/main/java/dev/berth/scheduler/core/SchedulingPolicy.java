package dev.berth.scheduler.core;

/** How the scheduler ranks feasible nodes; bin-packing joins here when it exists. */
public enum SchedulingPolicy {
    /** Prefer the least allocated node: spread pods over the cluster. */
    SPREAD
}
