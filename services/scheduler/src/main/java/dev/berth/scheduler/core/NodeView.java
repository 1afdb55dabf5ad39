package dev.berth.scheduler.core;

import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.Taint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node as the plugins see it: what it offers, what this scheduler has bound there, when it last
 * reported, the status the controller published for it, and its labels and taints.
 *
 * @param allocated what pods this scheduler bound to the node reserve (its own accounting, not the heartbeat's)
 * @param podCount  how many bound pods still hold capacity there
 * @param condition the controller's Ready/NotReady; null when it published none
 * @param cordoned  an operator marked the node unschedulable
 * @param labels    from the node agent's configuration, via its heartbeats
 * @param taints    likewise; pods must tolerate them
 */
public record NodeView(String name, NodeResources capacity, Resources allocated, int podCount,
                       Instant lastHeartbeat, Instant startedAt, NodeCondition condition, boolean cordoned,
                       Map<String, String> labels, List<Taint> taints) {

    /** The label that names a node's zone (Kubernetes' well-known one). */
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    /** Accepted when {@link #ZONE_LABEL} is absent: a short form for hand-written configurations. */
    public static final String SHORT_ZONE_LABEL = "zone";

    public NodeView {
        labels = labels == null ? Map.of() : labels;
        taints = taints == null ? List.of() : taints;
    }

    /** A node without labels or taints. */
    public NodeView(String name, NodeResources capacity, Resources allocated, int podCount, Instant lastHeartbeat,
                    Instant startedAt, NodeCondition condition, boolean cordoned) {
        this(name, capacity, allocated, podCount, lastHeartbeat, startedAt, condition, cordoned, Map.of(), List.of());
    }

    /** A node without a published status, labels or taints. */
    public NodeView(String name, NodeResources capacity, Resources allocated, int podCount, Instant lastHeartbeat,
                    Instant startedAt) {
        this(name, capacity, allocated, podCount, lastHeartbeat, startedAt, null, false);
    }

    public Resources free() { return capacity.resources().minus(allocated); }

    public int freePodSlots() { return capacity.pods() - podCount; }

    /** The node's zone, or null when it has no zone label. */
    public String zone() { return zoneOf(labels); }

    /** The zone named by {@code labels}: {@link #ZONE_LABEL}, else {@link #SHORT_ZONE_LABEL}; null when neither. */
    public static String zoneOf(Map<String, String> labels) {
        String zone = labels.get(ZONE_LABEL);
        return zone != null ? zone : labels.get(SHORT_ZONE_LABEL);
    }

    /**
     * The controller's condition decides, so the scheduler and the controller never disagree about a
     * node; only a node the controller has published nothing for (yet) is judged by its last
     * heartbeat, which must be at most {@code staleness} old.
     */
    public boolean isReady(Instant now, Duration staleness) {
        if (condition != null) return condition == NodeCondition.Ready;
        // In milliseconds: this runs for every node a pass examines, and Instant arithmetic allocates.
        return lastHeartbeat.toEpochMilli() + staleness.toMillis() >= now.toEpochMilli();
    }

    public boolean isSchedulable(Instant now, Duration staleness) { return isReady(now, staleness) && !cordoned; }
}
