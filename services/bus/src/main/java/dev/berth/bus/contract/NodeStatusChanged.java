package dev.berth.bus.contract;

import java.time.Instant;

/**
 * The controller's view of a node changed: readiness (from heartbeats, time as data) or
 * schedulability (cordon). Always carries the whole status, so the latest event per node is its
 * current status.
 *
 * @param lastHeartbeat time of the node's last heartbeat the controller saw
 */
public record NodeStatusChanged(String node, NodeCondition condition, boolean cordoned, String reason,
                                Instant lastHeartbeat) implements NodeEvent {
}
