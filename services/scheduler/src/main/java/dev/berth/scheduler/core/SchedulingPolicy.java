package dev.berth.scheduler.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the scheduler ranks the nodes a pod fits on; one per cluster ({@link Profile#of}). */
public enum SchedulingPolicy {
    /** Prefer the least allocated node and spread each deployment's replicas over nodes and zones. */
    SPREAD,
    /** Prefer the most allocated node that still fits: fill nodes one after the other, leave the rest empty. */
    BINPACK;

    /** "spread" or "binpack", in any case. */
    public static SchedulingPolicy parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown scheduling policy '" + name + "': use one of "
                    + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }
}
