package dev.berth.scheduler.core;

import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Resources;
import java.time.Duration;
import java.time.Instant;

/**
 * A node as the plugins see it: what it offers, what this scheduler has bound there, and when it
 * last reported.
 *
 * @param allocated what pods this scheduler bound to the node reserve (its own accounting, not the heartbeat's)
 * @param podCount  how many bound pods still hold capacity there
 */
public record NodeView(String name, NodeResources capacity, Resources allocated, int podCount,
                       Instant lastHeartbeat, Instant startedAt) {

    public Resources free() { return capacity.resources().minus(allocated); }

    public int freePodSlots() { return capacity.pods() - podCount; }

    /** Ready while the last heartbeat is at most {@code staleness} old. */
    public boolean isReady(Instant now, Duration staleness) {
        return !lastHeartbeat.plus(staleness).isBefore(now);
    }
}
