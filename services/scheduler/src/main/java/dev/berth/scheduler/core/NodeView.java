package dev.berth.scheduler.core;

import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.Taint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;

/**
 * A node as the plugins see it: what it offers, what this scheduler has bound there, when it last
 * reported, the status the controller published for it, and its labels and taints.
 *
 * <p>A pass runs every filter and scorer on about a hundred of these per pod, so what they read is
 * held flat, as primitives, and the zone is looked up once here instead of per pod: a plugin touches
 * this one object per node, not a chain of resource objects and label maps. {@link #capacity()},
 * {@link #allocated()} and {@link #free()} build their objects on demand, for callers outside the pass.
 *
 * <p>Immutable; {@link SchedulerState} builds a new view whenever the node's heartbeat, status or
 * allocation changes.
 */
public final class NodeView {

    /** The label that names a node's zone (Kubernetes' well-known one). */
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    /** Accepted when {@link #ZONE_LABEL} is absent: a short form for hand-written configurations. */
    public static final String SHORT_ZONE_LABEL = "zone";

    private final String name;
    private final long capacityCpuMillis;
    private final long capacityMemoryBytes;
    private final int capacityPods;
    private final long allocatedCpuMillis;
    private final long allocatedMemoryBytes;
    /** What the bound pods count as when scoring (unset cpu or memory at the scheduler's non-zero defaults). */
    private final long scoredCpuMillis;
    private final long scoredMemoryBytes;
    /** Extended resources the node advertises and those its bound pods reserve; empty for most nodes. */
    private final Map<String, Long> capacityExtended;
    private final Map<String, Long> allocatedExtended;
    private final int podCount;
    private final long lastHeartbeatMillis;
    private final NodeCondition condition;
    private final boolean cordoned;
    private final boolean hasNoScheduleTaint;
    private final String zone;
    private final Instant lastHeartbeat;
    private final Instant startedAt;
    private final Map<String, String> labels;
    private final List<Taint> taints;
    private final Map<String, Long> images;
    private final Set<String> usedHostPorts;

    /**
     * @param allocated what pods this scheduler bound to the node reserve (its own accounting, not the heartbeat's)
     * @param podCount  how many bound pods still hold capacity there
     * @param condition the controller's Ready/NotReady; null when it published none
     * @param cordoned  an operator marked the node unschedulable
     * @param labels    from the node agent's configuration, via its heartbeats
     * @param taints    likewise; pods must tolerate them
     */
    public NodeView(String name, NodeResources capacity, Resources allocated, int podCount,
                    Instant lastHeartbeat, Instant startedAt, NodeCondition condition, boolean cordoned,
                    Map<String, String> labels, List<Taint> taints) {
        this(name, capacity, allocated, podCount, lastHeartbeat, startedAt, condition, cordoned, labels, taints, null);
    }

    /** @param images the node's image names with their sizes, from its heartbeats (ImageLocality) */
    public NodeView(String name, NodeResources capacity, Resources allocated, int podCount,
                    Instant lastHeartbeat, Instant startedAt, NodeCondition condition, boolean cordoned,
                    Map<String, String> labels, List<Taint> taints, Map<String, Long> images) {
        this(name, capacity, allocated, podCount, lastHeartbeat, startedAt, condition, cordoned, labels, taints, images, allocated, null);
    }

    /** @param scored what the bound pods count as for the scoring plugins ({@link PodRequest#scored()} summed) */
    public NodeView(String name, NodeResources capacity, Resources allocated, int podCount,
                    Instant lastHeartbeat, Instant startedAt, NodeCondition condition, boolean cordoned,
                    Map<String, String> labels, List<Taint> taints, Map<String, Long> images, Resources scored) {
        this(name, capacity, allocated, podCount, lastHeartbeat, startedAt, condition, cordoned, labels, taints, images, scored, null);
    }

    /**
     * @param scored        what the bound pods count as for the scoring plugins ({@link PodRequest#scored()} summed)
     * @param usedHostPorts the host ports ("port/protocol") pods bound to the node publish (NodePorts)
     */
    public NodeView(String name, NodeResources capacity, Resources allocated, int podCount,
                    Instant lastHeartbeat, Instant startedAt, NodeCondition condition, boolean cordoned,
                    Map<String, String> labels, List<Taint> taints, Map<String, Long> images, Resources scored,
                    Set<String> usedHostPorts) {
        if (scored == null) scored = allocated;
        this.scoredCpuMillis = scored.cpuMillis();
        this.scoredMemoryBytes = scored.memoryBytes();
        this.capacityExtended = capacity.extended();
        this.allocatedExtended = allocated.extended();
        this.usedHostPorts = usedHostPorts == null ? Set.of() : usedHostPorts;
        this.images = images == null ? Map.of() : images;
        this.name = name;
        this.capacityCpuMillis = capacity.cpuMillis();
        this.capacityMemoryBytes = capacity.memoryBytes();
        this.capacityPods = capacity.pods();
        this.allocatedCpuMillis = allocated.cpuMillis();
        this.allocatedMemoryBytes = allocated.memoryBytes();
        this.podCount = podCount;
        this.lastHeartbeat = lastHeartbeat;
        this.lastHeartbeatMillis = lastHeartbeat.toEpochMilli();
        this.startedAt = startedAt;
        this.condition = condition;
        this.cordoned = cordoned;
        this.labels = labels == null ? Map.of() : labels;
        this.taints = taints == null ? List.of() : taints;
        this.zone = zoneOf(this.labels);
        this.hasNoScheduleTaint = anyNoSchedule(this.taints);
    }

    private static boolean anyNoSchedule(List<Taint> taints) {
        for (int i = 0; i < taints.size(); i++) if (Taint.NO_SCHEDULE.equals(taints.get(i).effect())) return true;
        return false;
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

    public String name() { return name; }

    /** Host ports ("port/protocol") already published by pods bound here. */
    public Set<String> usedHostPorts() { return usedHostPorts; }

    public NodeResources capacity() {
        return new NodeResources(capacityCpuMillis, capacityMemoryBytes, capacityPods, capacityExtended);
    }

    public Resources allocated() { return new Resources(allocatedCpuMillis, allocatedMemoryBytes, allocatedExtended); }

    public Resources free() {
        return new Resources(capacityCpuMillis, capacityMemoryBytes, capacityExtended).minus(allocated());
    }

    /** What the bound pods count as for scoring: cpu and memory, pods without requests at the non-zero defaults. */
    public long scoredCpuMillis() { return scoredCpuMillis; }

    public long scoredMemoryBytes() { return scoredMemoryBytes; }

    /** How much of an extended resource is left for new pods: advertised minus reserved; 0 when not advertised. */
    public long freeExtended(String resource) {
        Long capacity = capacityExtended.get(resource);
        if (capacity == null) return 0;
        Long used = allocatedExtended.get(resource);
        return used == null ? capacity : capacity - used;
    }

    public long capacityCpuMillis() { return capacityCpuMillis; }

    public long capacityMemoryBytes() { return capacityMemoryBytes; }

    public int capacityPods() { return capacityPods; }

    public long allocatedCpuMillis() { return allocatedCpuMillis; }

    public long allocatedMemoryBytes() { return allocatedMemoryBytes; }

    public int podCount() { return podCount; }

    public int freePodSlots() { return capacityPods - podCount; }

    public Instant lastHeartbeat() { return lastHeartbeat; }

    public Instant startedAt() { return startedAt; }

    /** The controller's Ready/NotReady; null when it published none. */
    public NodeCondition condition() { return condition; }

    public boolean cordoned() { return cordoned; }

    public Map<String, String> labels() { return labels; }

    public List<Taint> taints() { return taints; }

    /** Image names present on the node, with their sizes in bytes. */
    public Map<String, Long> images() { return images; }

    /** Whether any taint keeps pods off (NoSchedule), so a node without one needs no toleration check. */
    public boolean hasNoScheduleTaint() { return hasNoScheduleTaint; }

    /** The node's zone, or null when it has no zone label. */
    public String zone() { return zone; }

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
        // In milliseconds, and only when no condition decides: this runs for every node a pass
        // examines, and Instant arithmetic allocates (overflow checks make even this not free).
        return lastHeartbeatMillis + staleness.toMillis() >= now.toEpochMilli();
    }

    public boolean isSchedulable(Instant now, Duration staleness) { return isReady(now, staleness) && !cordoned; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof NodeView v)) return false;
        return capacityCpuMillis == v.capacityCpuMillis && capacityMemoryBytes == v.capacityMemoryBytes
                && capacityPods == v.capacityPods && allocatedCpuMillis == v.allocatedCpuMillis
                && allocatedMemoryBytes == v.allocatedMemoryBytes && podCount == v.podCount && cordoned == v.cordoned
                && scoredCpuMillis == v.scoredCpuMillis && scoredMemoryBytes == v.scoredMemoryBytes
                && capacityExtended.equals(v.capacityExtended) && allocatedExtended.equals(v.allocatedExtended)
                && name.equals(v.name) && lastHeartbeat.equals(v.lastHeartbeat) && Objects.equals(startedAt, v.startedAt)
                && condition == v.condition && labels.equals(v.labels) && taints.equals(v.taints) && images.equals(v.images);
    }

    @Override
    public int hashCode() { return Objects.hash(name, capacityCpuMillis, allocatedCpuMillis, podCount, lastHeartbeat); }

    @Override
    public String toString() {
        return "NodeView[name=" + name + ", capacity=" + capacity() + ", allocated=" + allocated() + ", podCount=" + podCount
                + ", lastHeartbeat=" + lastHeartbeat + ", startedAt=" + startedAt + ", condition=" + condition
                + ", cordoned=" + cordoned + ", labels=" + labels + ", taints=" + taints + "]";
    }
}
