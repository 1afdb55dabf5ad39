package dev.berth.controller;

import java.time.Duration;
import dev.berth.controller.core.PodCidrAllocator;
import java.util.Objects;

/**
 * How the controller runs.
 *
 * @param resyncInterval    how often to reconcile everything even when no input arrived (level-triggered safety net)
 * @param heartbeatInterval how often node agents send heartbeats (their setting; the controller checks nodes four times as often)
 * @param nodeGracePeriod   how long a node may go without a heartbeat before it is NotReady
 * @param podEvictionDelay  how long a node stays NotReady before its pods are lost and replaced elsewhere
 * @param clusterCidr       the range nodes' pod CIDRs are cut from (Kubernetes' --cluster-cidr), default 10.244.0.0/16
 * @param nodeCidrMaskSize  the prefix length of each node's pod CIDR (--node-cidr-mask-size), default 24
 */
public record ControllerOptions(Duration resyncInterval, Duration heartbeatInterval, Duration nodeGracePeriod,
                                Duration podEvictionDelay, String clusterCidr, int nodeCidrMaskSize) {
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);
    public static final Duration DEFAULT_EVICTION_DELAY = Duration.ofSeconds(2);

    public ControllerOptions(Duration resyncInterval, Duration heartbeatInterval, Duration nodeGracePeriod, Duration podEvictionDelay) {
        this(resyncInterval, heartbeatInterval, nodeGracePeriod, podEvictionDelay, null, 0);
    }

    public ControllerOptions {
        clusterCidr = clusterCidr == null ? PodCidrAllocator.DEFAULT_CLUSTER_CIDR : clusterCidr;
        nodeCidrMaskSize = nodeCidrMaskSize == 0 ? PodCidrAllocator.DEFAULT_NODE_MASK : nodeCidrMaskSize;
        PodCidrAllocator.of(clusterCidr, nodeCidrMaskSize); // says what is wrong with them now, not at the first node
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

    public ControllerOptions withResyncInterval(Duration d) { return new ControllerOptions(d, heartbeatInterval, nodeGracePeriod, podEvictionDelay, clusterCidr, nodeCidrMaskSize); }

    public ControllerOptions withHeartbeatInterval(Duration d) { return new ControllerOptions(resyncInterval, d, nodeGracePeriod, podEvictionDelay, clusterCidr, nodeCidrMaskSize); }

    public ControllerOptions withNodeGracePeriod(Duration d) { return new ControllerOptions(resyncInterval, heartbeatInterval, d, podEvictionDelay, clusterCidr, nodeCidrMaskSize); }

    public ControllerOptions withPodEvictionDelay(Duration d) { return new ControllerOptions(resyncInterval, heartbeatInterval, nodeGracePeriod, d, clusterCidr, nodeCidrMaskSize); }

    /** Nodes' pod CIDRs cut from {@code cidr}, a /{@code maskSize} each. */
    public ControllerOptions withPodCidrs(String cidr, int maskSize) { return new ControllerOptions(resyncInterval, heartbeatInterval, nodeGracePeriod, podEvictionDelay, cidr, maskSize); }

    public PodCidrAllocator podCidrs() { return PodCidrAllocator.of(clusterCidr, nodeCidrMaskSize); }

    /** How often node timeouts are checked: a quarter heartbeat, so a decision is at most that late. */
    public Duration nodeCheckInterval() { return heartbeatInterval.dividedBy(4); }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
}
