package dev.berth.scheduler.core;

import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Resources;
import java.time.Duration;
import java.time.Instant;

/**
 * A node as the plugins see it: what it offers, what this scheduler has bound there, when it last
 * reported, and the status the controller published for it.
 *
 * @param allocated what pods this scheduler bound to the node reserve (its own accounting, not the heartbeat's)
 * @param podCount  how many bound pods still hold capacity there
 * @param condition the controller's Ready/NotReady; null when it published none
 * @param cordoned  an operator marked the node unschedulable
 */
public record NodeView(String name, NodeResources capacity, Resources allocated, int podCount,
                       Instant lastHeartbeat, Instant startedAt, NodeCondition condition, boolean cordoned) {

    /** A node without a published status. */
    public NodeView(String name, NodeResources capacity, Resources allocated, int podCount, Instant lastHeartbeat,
                    Instant startedAt) {
        this(name, capacity, allocated, podCount, lastHeartbeat, startedAt, null, false);
    }

    public Resources free() { return capacity.resources().minus(allocated); }

    public int freePodSlots() { return capacity.pods() - podCount; }

    /**
     * The controller's condition decides, so the scheduler and the controller never disagree about a
     * node; only a node the controller has published nothing for (yet) is judged by its last
     * heartbeat, which must be at most {@code staleness} old.
     */
    public boolean isReady(Instant now, Duration staleness) {
        if (condition != null) return condition == NodeCondition.Ready;
        return !lastHeartbeat.plus(staleness).isBefore(now);
    }

    public boolean isSchedulable(Instant now, Duration staleness) { return isReady(now, staleness) && !cordoned; }
}
