package dev.berth.controller.core;

import dev.berth.bus.contract.NodeCondition;
import java.time.Instant;
import java.util.List;

/**
 * A node as the controller knows it: what its heartbeats said and the status the controller
 * published for it on berth.nodes.
 *
 * @param lastHeartbeat  time of its latest heartbeat; null when known only from berth.nodes
 * @param images         images its latest heartbeat advertised
 * @param condition      the condition last published; null until the first one is
 * @param conditionSince when the condition last changed: the eviction delay counts from a NotReady's
 * @param cordoned       an operator marked it unschedulable
 * @param draining       an operator drained it: while it stays cordoned, any pod found on it is evicted
 * @param sequence       the sequence number of the latest heartbeat taken (0: none)
 * @param agentStartedAt when the node agent that sent it started: its sequence counts from there
 * @param podCIDR        the block of the cluster CIDR published for it (spec.podCIDR); null until one is
 * @param podCidrRefused its last status said no block was left for it (so the refusal is said once)
 */
public record NodeRecord(String name, Instant lastHeartbeat, List<String> images, NodeCondition condition,
                         Instant conditionSince, boolean cordoned, boolean draining, long sequence, Instant agentStartedAt,
                         String podCIDR, boolean podCidrRefused) {
    public NodeRecord {
        images = List.copyOf(images);
    }

    public NodeRecord(String name, Instant lastHeartbeat, List<String> images, NodeCondition condition,
                      Instant conditionSince, boolean cordoned, boolean draining, long sequence, Instant agentStartedAt) {
        this(name, lastHeartbeat, images, condition, conditionSince, cordoned, draining, sequence, agentStartedAt, null, false);
    }

    public NodeRecord(String name, Instant lastHeartbeat, List<String> images, NodeCondition condition,
                      Instant conditionSince, boolean cordoned, boolean draining) {
        this(name, lastHeartbeat, images, condition, conditionSince, cordoned, draining, 0, null);
    }

    /**
     * Whether a heartbeat with {@code heartbeatSequence} from the agent started at {@code startedAt} is
     * news: a newer agent, or a higher sequence number from the same one. A replayed, duplicated or
     * late heartbeat is not, whatever time it claims.
     */
    public boolean isNewer(long heartbeatSequence, Instant startedAt) {
        if (agentStartedAt == null || startedAt == null || !agentStartedAt.equals(startedAt)) return true;
        return heartbeatSequence > sequence;
    }

    /** A heartbeat received at {@code at} (the controller's clock) with its sequence number and agent start. */
    public NodeRecord withHeartbeat(Instant at, List<String> newImages, long newSequence, Instant startedAt) {
        return new NodeRecord(name, latest(lastHeartbeat, at), newImages, condition, conditionSince, cordoned, draining,
                newSequence, startedAt, podCIDR, podCidrRefused);
    }

    /** A node first heard of through a heartbeat: no status published yet. */
    public static NodeRecord heard(String name, Instant at, List<String> images) {
        return new NodeRecord(name, at, images, null, null, false, false);
    }

    /** A heartbeat sent at {@code at}; a late, older one never moves the last heartbeat back. */
    public NodeRecord withHeartbeat(Instant at, List<String> newImages) {
        return new NodeRecord(name, latest(lastHeartbeat, at), newImages, condition, conditionSince, cordoned, draining,
                sequence, agentStartedAt, podCIDR, podCidrRefused);
    }

    /**
     * The status published at {@code at}; the condition's start moves only when the condition changes.
     * Draining starts with a drain's status and lasts as long as the node stays cordoned.
     */
    public NodeRecord withStatus(NodeCondition newCondition, boolean newCordoned, Instant heartbeat, Instant at, boolean drained) {
        return withStatus(newCondition, newCordoned, heartbeat, at, drained, podCIDR, podCidrRefused);
    }

    /**
     * The same with the pod CIDR the status carries: a status without one (written before pod CIDRs
     * existed) keeps the block known.
     */
    public NodeRecord withStatus(NodeCondition newCondition, boolean newCordoned, Instant heartbeat, Instant at, boolean drained,
                                 String cidr, boolean refused) {
        Instant since = newCondition == condition ? conditionSince : at;
        return new NodeRecord(name, latest(lastHeartbeat, heartbeat), images, newCondition, since, newCordoned,
                newCordoned && (draining || drained), sequence, agentStartedAt, cidr != null ? cidr : podCIDR, cidr == null && refused);
    }

    public boolean isReady() { return condition == NodeCondition.Ready; }

    /** The condition to publish with a schedulability change: the current one, Ready for a node only heard of so far. */
    public NodeCondition conditionOrReady() { return condition == null ? NodeCondition.Ready : condition; }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }
}
