package dev.berth.scheduler.core;

import dev.berth.scheduler.core.plugins.LeastAllocated;
import dev.berth.scheduler.core.plugins.NodeReady;
import dev.berth.scheduler.core.plugins.NodeUnschedulable;
import dev.berth.scheduler.core.plugins.ResourcesFit;
import java.time.Duration;
import java.util.List;

/**
 * The plugins one scheduling pass runs: every filter in order (a node is rejected by the first that
 * fails), then every score plugin on the nodes left.
 */
public record Profile(List<FilterPlugin> filters, List<ScorePlugin> scorers) {

    public Profile {
        filters = List.copyOf(filters);
        scorers = List.copyOf(scorers);
    }

    /** The standard profile for a policy; {@code nodeStaleness} is how old a heartbeat may be for a ready node. */
    public static Profile of(SchedulingPolicy policy, Duration nodeStaleness) {
        List<FilterPlugin> filters = List.of(new NodeReady(nodeStaleness), new NodeUnschedulable(), new ResourcesFit());
        return switch (policy) {
            case SPREAD -> new Profile(filters, List.of(new LeastAllocated()));
        };
    }
}
