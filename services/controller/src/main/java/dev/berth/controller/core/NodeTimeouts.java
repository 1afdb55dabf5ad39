package dev.berth.controller.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The clock rules of node lifecycle, as data.
 *
 * @param gracePeriod   how long a node may go without a heartbeat before it is NotReady
 * @param evictionDelay how long a node stays NotReady before its pods are lost
 * @param watchingSince when this controller began following heartbeats. Silence is counted from
 *                      here at the earliest: after a restart, the controller has not been listening
 *                      and cannot tell a dead node from one it simply has not heard yet (Kubernetes'
 *                      node lifecycle controller likewise gives every node a fresh grace period
 *                      when it starts)
 */
public record NodeTimeouts(Duration gracePeriod, Duration evictionDelay, Instant watchingSince) {
    public NodeTimeouts {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(evictionDelay, "evictionDelay");
        Objects.requireNonNull(watchingSince, "watchingSince");
    }
}
