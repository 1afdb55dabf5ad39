package dev.berth.bus.contract;

import java.time.Instant;

/**
 * The controller's view of a node changed: readiness (from heartbeats, time as data) or
 * schedulability (cordon). Always carries the whole status, so the latest event per node is its
 * current status.
 *
 * @param lastHeartbeat time of the node's last heartbeat the controller saw
 * @param podCIDR       the block of the cluster CIDR the node's pods get addresses from (Kubernetes'
 *                      spec.podCIDR); null until the controller allocated one, and in logs written before it existed
 */
public record NodeStatusChanged(String node, NodeCondition condition, boolean cordoned, String reason,
                                Instant lastHeartbeat, String podCIDR) implements NodeEvent {

    public NodeStatusChanged(String node, NodeCondition condition, boolean cordoned, String reason, Instant lastHeartbeat) {
        this(node, condition, cordoned, reason, lastHeartbeat, null);
    }
}
