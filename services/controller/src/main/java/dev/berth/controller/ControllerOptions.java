package dev.berth.controller;

import java.time.Duration;
import java.util.Objects;

/**
 * How the controller runs.
 *
 * @param resyncInterval    how often to reconcile everything even when no input arrived (level-triggered safety net)
 * @param heartbeatInterval how often node agents send heartbeats (their setting; the controller checks nodes four times as often)
 * @param nodeGracePeriod   how long a node may go without a heartbeat before it is NotReady
 * @param podEvictionDelay  how long a node stays NotReady before its pods are lost and replaced elsewhere
 */
public record ControllerOptions(Duration resyncInterval, Duration heartbeatInterval, Duration nodeGracePeriod,
                                Duration podEvictionDelay) {
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);
    public static final Duration DEFAULT_EVICTION_DELAY = Duration.ofSeconds(2);

    public ControllerOptions {
        positive(resyncInterval, "resyncInterval");
        positive(heartbeatInterval, "heartbeatInterval");
        positive(nodeGracePeriod, "nodeGracePeriod");
        Objects.requireNonNull(podEvictionDelay, "podEvictionDelay");
        if (podEvictionDelay.isNegative()) throw new IllegalArgumentException("podEvictionDelay must not be negative, got " + podEvictionDelay);
        if (nodeGracePeriod.compareTo(heartbeatInterval) <= 0) {
            // Otherwise a healthy node would turn NotReady between two of its heartbeats.
            throw new IllegalArgumentException("nodeGracePeriod (" + nodeGracePeriod + ") must be longer than heartbeatInterval ("
                    + heartbeatInterval + ")");
        }
    }

    public static ControllerOptions defaults() {
        return new ControllerOptions(DEFAULT_RESYNC, DEFAULT_HEARTBEAT, DEFAULT_GRACE, DEFAULT_EVICTION_DELAY);
    }

    public ControllerOptions withResyncInterval(Duration d) { return new ControllerOptions(d, heartbeatInterval, nodeGracePeriod, podEvictionDelay); }

    public ControllerOptions withHeartbeatInterval(Duration d) { return new ControllerOptions(resyncInterval, d, nodeGracePeriod, podEvictionDelay); }

    public ControllerOptions withNodeGracePeriod(Duration d) { return new ControllerOptions(resyncInterval, heartbeatInterval, d, podEvictionDelay); }

    public ControllerOptions withPodEvictionDelay(Duration d) { return new ControllerOptions(resyncInterval, heartbeatInterval, nodeGracePeriod, d); }

    /** How often node timeouts are checked: a quarter heartbeat, so a decision is at most that late. */
    public Duration nodeCheckInterval() { return heartbeatInterval.dividedBy(4); }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
}
