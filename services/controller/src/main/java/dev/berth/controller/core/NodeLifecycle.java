package dev.berth.controller.core;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodLost;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Node lifecycle, like Kubernetes' node lifecycle controller, decided from state and {@code now}:
 * <ul>
 *   <li>a node silent for the grace period becomes NotReady;</li>
 *   <li>a node NotReady for the eviction delay loses its pods: each gets a PodLost, so it no longer
 *       counts as a replica and the {@link Reconciler} replaces it; the scheduler releases it on the
 *       node, which is what stops it there if the node returns (fencing);</li>
 *   <li>a NotReady node that heartbeats again is Ready; a node heard of for the first time is Ready.</li>
 * </ul>
 * Level-triggered like the reconciler: it looks only at the current state, so running it on every
 * tick decides each change once (its events are applied before the next tick).
 */
public final class NodeLifecycle {
    private NodeLifecycle() {}

    public static Decision<ControllerState> check(ControllerState state, Instant now, NodeTimeouts timeouts) {
        return Steps.of(state, decide(state, now, timeouts), now);
    }

    /** As {@link #check(ControllerState, Instant, NodeTimeouts)}, giving every node a pod CIDR of {@code podCidrs}' cluster CIDR. */
    public static Decision<ControllerState> check(ControllerState state, Instant now, NodeTimeouts timeouts, PodCidrAllocator podCidrs) {
        return Steps.of(state, decide(state, now, timeouts, podCidrs), now);
    }

    /** Kubernetes' unhealthyZoneThreshold: from this share of NotReady nodes (and more than two) on, the cluster is disrupted. */
    static final double UNHEALTHY_THRESHOLD = 0.55;

    public static List<Event> decide(ControllerState state, Instant now, NodeTimeouts timeouts) {
        return decide(state, now, timeouts, null);
    }

    /**
     * Also allocates pod CIDRs (null: none): a node gets its block with its first status (when its first
     * heartbeat makes it Ready), a node known without one (a log from before pod CIDRs) gets it in a status
     * of its own; when the cluster CIDR is full the node's status says so once (CIDRNotAvailable).
     */
    public static List<Event> decide(ControllerState state, Instant now, NodeTimeouts timeouts, PodCidrAllocator podCidrs) {
        List<Event> events = new ArrayList<>();
        boolean evict = !disrupted(state, now, timeouts);
        NodePodCidrs cidrs = NodePodCidrs.of(podCidrs);
        for (NodeRecord node : state.nodes().values()) {
            NodeCondition next = condition(node, now, timeouts);
            String cidr = node.podCIDR();
            String refusal = null;
            if (cidrs != null && cidr == null && (next != null || node.condition() != null)) {
                PodCidrAllocator.Outcome o = cidrs.allocate(state, node.name());
                cidr = o.podCidr().orElse(null);
                refusal = o.reason().orElse(null);
            }
            if (next != null && next != node.condition()) {
                String why = reason(node, next, now, timeouts);
                events.add(new NodeStatusChanged(node.name(), next, node.cordoned(), refusal == null ? why : why + "; " + refusal,
                        node.lastHeartbeat(), cidr));
            } else if (cidr != null && node.podCIDR() == null) {
                events.add(new NodeStatusChanged(node.name(), node.condition(), node.cordoned(), "pod CIDR " + cidr + " allocated",
                        node.lastHeartbeat(), cidr));
            } else if (refusal != null && !node.podCidrRefused()) {
                events.add(new NodeStatusChanged(node.name(), node.condition(), node.cordoned(), refusal, node.lastHeartbeat(), null));
            } else if (evict && node.condition() == NodeCondition.NotReady && evictionDue(node, now, timeouts)) {
                String reason = "node " + node.name() + " NotReady for longer than the eviction delay ("
                        + seconds(timeouts.evictionDelay()) + ")";
                for (PodRecord pod : state.podsOn(node.name())) {
                    events.add(new PodLost(pod.name(), pod.deployment(), node.name(), reason, pod.namespace(), pod.ownerKind()));
                }
            }
        }
        return events;
    }

    /**
     * Whether so many nodes are NotReady that the fault is more likely the controller's view (the broker
     * was away, the network split) than the nodes: no node is Ready, or more than two and at least 55 %
     * are NotReady. Then no pod is evicted, as Kubernetes' node lifecycle controller stops evictions in a
     * fully or partially disrupted zone of a small cluster; nodes still go NotReady, and evictions resume
     * once enough of them are heard again.
     */
    static boolean disrupted(ControllerState state, Instant now, NodeTimeouts timeouts) {
        int ready = 0, notReady = 0;
        for (NodeRecord node : state.nodes().values()) {
            NodeCondition next = condition(node, now, timeouts);
            NodeCondition c = next != null ? next : node.condition();
            if (c == NodeCondition.Ready) ready++;
            else if (c == NodeCondition.NotReady) notReady++;
        }
        if (notReady == 0) return false;
        return ready == 0 || (notReady > 2 && notReady >= UNHEALTHY_THRESHOLD * (ready + notReady));
    }

    /** The condition the node should have now; null while it is too early to tell. */
    static NodeCondition condition(NodeRecord node, Instant now, NodeTimeouts t) {
        Instant heard = node.lastHeartbeat();
        boolean fresh = heard != null && now.isBefore(heard.plus(t.gracePeriod()));
        if (node.condition() == NodeCondition.NotReady) {
            // Only a heartbeat sent after the NotReady decision proves the node is back; a late,
            // older one arriving now must not flip it.
            return fresh && heard.isAfter(node.conditionSince()) ? NodeCondition.Ready : NodeCondition.NotReady;
        }
        if (!now.isBefore(silentSince(node, t).plus(t.gracePeriod()))) return NodeCondition.NotReady;
        if (node.condition() == NodeCondition.Ready || fresh) return NodeCondition.Ready;
        return null;
    }

    /** NotReady for the whole eviction delay, counted no earlier than from when this controller started watching. */
    static boolean evictionDue(NodeRecord node, Instant now, NodeTimeouts t) {
        Instant since = latest(node.conditionSince(), t.watchingSince());
        return !now.isBefore(since.plus(t.evictionDelay()));
    }

    private static Instant silentSince(NodeRecord node, NodeTimeouts t) {
        return node.lastHeartbeat() == null ? t.watchingSince() : latest(node.lastHeartbeat(), t.watchingSince());
    }

    private static String reason(NodeRecord node, NodeCondition next, Instant now, NodeTimeouts t) {
        if (next == NodeCondition.Ready) {
            return node.condition() == null ? "heartbeats received" : "heartbeats resumed";
        }
        String grace = " (grace period " + seconds(t.gracePeriod()) + ")";
        if (node.lastHeartbeat() == null || node.lastHeartbeat().isBefore(t.watchingSince())) {
            return "no heartbeat since the controller started " + seconds(Duration.between(t.watchingSince(), now)) + " ago" + grace;
        }
        return "no heartbeat for " + seconds(Duration.between(node.lastHeartbeat(), now)) + grace;
    }

    static String seconds(Duration d) {
        long millis = d.toMillis();
        if (millis % 1000 == 0) return millis / 1000 + " s";
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static Instant latest(Instant a, Instant b) { return a.isAfter(b) ? a : b; }
}
