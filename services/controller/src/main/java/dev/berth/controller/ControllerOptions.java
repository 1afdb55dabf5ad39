package dev.berth.controller;

import java.time.Duration;
import dev.berth.controller.core.ClusterIpAllocator;
import dev.berth.controller.core.ControllerState;
import dev.berth.controller.core.NodePortAllocator;
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
 * @param serviceCidr       the range Services' cluster IPs come from (Kubernetes' --service-cluster-ip-range), default 10.96.0.0/12
 * @param nodePortRange     the range of NodePorts (--service-node-port-range), "min-max", default 30000-32767
 */
public record ControllerOptions(Duration resyncInterval, Duration heartbeatInterval, Duration nodeGracePeriod,
                                Duration podEvictionDelay, String clusterCidr, int nodeCidrMaskSize, String serviceCidr,
                                String nodePortRange) {
    public static final String DEFAULT_NODE_PORT_RANGE = NodePortAllocator.DEFAULT_MIN + "-" + NodePortAllocator.DEFAULT_MAX;

    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);
    public static final Duration DEFAULT_EVICTION_DELAY = Duration.ofSeconds(2);

    public ControllerOptions(Duration resyncInterval, Duration heartbeatInterval, Duration nodeGracePeriod, Duration podEvictionDelay) {
        this(resyncInterval, heartbeatInterval, nodeGracePeriod, podEvictionDelay, null, 0);
    }

    public ControllerOptions(Duration resyncInterval, Duration heartbeatInterval, Duration nodeGracePeriod, Duration podEvictionDelay,
                             String clusterCidr, int nodeCidrMaskSize) {
        this(resyncInterval, heartbeatInterval, nodeGracePeriod, podEvictionDelay, clusterCidr, nodeCidrMaskSize, null, null);
    }

    public ControllerOptions {
        clusterCidr = clusterCidr == null ? PodCidrAllocator.DEFAULT_CLUSTER_CIDR : clusterCidr;
        nodeCidrMaskSize = nodeCidrMaskSize == 0 ? PodCidrAllocator.DEFAULT_NODE_MASK : nodeCidrMaskSize;
        serviceCidr = serviceCidr == null ? ClusterIpAllocator.DEFAULT_SERVICE_CIDR : serviceCidr;
        nodePortRange = nodePortRange == null ? DEFAULT_NODE_PORT_RANGE : nodePortRange;
        PodCidrAllocator.of(clusterCidr, nodeCidrMaskSize); // says what is wrong with them now, not at the first node
        ClusterIpAllocator.of(serviceCidr); // ... or at the first Service
        nodePorts(nodePortRange);
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

    public ControllerOptions withResyncInterval(Duration d) { return new ControllerOptions(d, heartbeatInterval, nodeGracePeriod, podEvictionDelay, clusterCidr, nodeCidrMaskSize, serviceCidr, nodePortRange); }

    public ControllerOptions withHeartbeatInterval(Duration d) { return new ControllerOptions(resyncInterval, d, nodeGracePeriod, podEvictionDelay, clusterCidr, nodeCidrMaskSize, serviceCidr, nodePortRange); }

    public ControllerOptions withNodeGracePeriod(Duration d) { return new ControllerOptions(resyncInterval, heartbeatInterval, d, podEvictionDelay, clusterCidr, nodeCidrMaskSize, serviceCidr, nodePortRange); }

    public ControllerOptions withPodEvictionDelay(Duration d) { return new ControllerOptions(resyncInterval, heartbeatInterval, nodeGracePeriod, d, clusterCidr, nodeCidrMaskSize, serviceCidr, nodePortRange); }

    /** Nodes' pod CIDRs cut from {@code cidr}, a /{@code maskSize} each. */
    public ControllerOptions withPodCidrs(String cidr, int maskSize) { return new ControllerOptions(resyncInterval, heartbeatInterval, nodeGracePeriod, podEvictionDelay, cidr, maskSize, serviceCidr, nodePortRange); }

    /** Services' cluster IPs from {@code cidr} (--service-cidr), NodePorts from {@code portRange} ("min-max"). */
    public ControllerOptions withServices(String cidr, String portRange) { return new ControllerOptions(resyncInterval, heartbeatInterval, nodeGracePeriod, podEvictionDelay, clusterCidr, nodeCidrMaskSize, cidr, portRange); }

    /** The state the controller starts from: nothing, with these Service address ranges. */
    public ControllerState emptyState() { return ControllerState.empty(ClusterIpAllocator.of(serviceCidr), nodePorts(nodePortRange)); }

    static NodePortAllocator nodePorts(String range) {
        String[] parts = range.split("-", -1);
        try {
            if (parts.length == 2) return NodePortAllocator.of(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("invalid NodePort range '" + range + "': expected min-max, e.g. " + DEFAULT_NODE_PORT_RANGE);
    }

    public PodCidrAllocator podCidrs() { return PodCidrAllocator.of(clusterCidr, nodeCidrMaskSize); }

    /** How often node timeouts are checked: a quarter heartbeat, so a decision is at most that late. */
    public Duration nodeCheckInterval() { return heartbeatInterval.dividedBy(4); }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
}
