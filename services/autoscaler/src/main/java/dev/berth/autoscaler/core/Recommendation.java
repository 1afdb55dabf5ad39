package dev.berth.autoscaler.core;

import java.time.Instant;

/**
 * Unstabilized recommendations made at about {@code at}: the lowest and the highest of those merged into this entry
 * (recommendations within one {@link Behaviors#MERGE} stretch share one entry, so a window holds a bounded number
 * of them however often samples arrive; a scale-up window takes the lowest, a scale-down window the highest).
 */
public record Recommendation(Instant at, int lowest, int highest) {
    public static Recommendation of(Instant at, int replicas) { return new Recommendation(at, replicas, replicas); }
}
