package dev.berth.node;

import dev.berth.bus.Limits;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Taint;
import dev.berth.bus.labels.NodeLabels;
import dev.berth.node.core.RestartBackoff;
import dev.berth.node.runtime.LogLimits;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Configuration of one node agent.
 *
 * @param stateDir       runc state, bundles and container logs of this node; a restarted agent with the
 *                       same name and state dir adopts the containers it finds there
 * @param imagesDir      no longer used by the runc runtime: each node keeps its images in {@code <stateDir>/images}
 *                       (its own store, as each Kubernetes node has); kept so callers need not change
 * @param capacity       what the node offers; by default the host's cpus, memory and 110 pods, and the extended
 *                       resources the operator declares ({@link #withExtendedResources}, e.g. nvidia.com/gpu=2):
 *                       Berth does not discover devices, as the kubelet's device plugins would
 * @param restartBackoff delays between restarts of a crashing container
 * @param labels         the node's labels, sent in every heartbeat (pods select nodes by them, e.g. zone)
 * @param taints         the node's taints, sent in every heartbeat (only pods tolerating them come)
 * @param resyncInterval how often the agent reconciles even if nothing happened, and rotates container logs
 * @param statusReportInterval how often every pod's last status is reported again (default 1 min)
 * @param containerLogs  per-container log cap: size before rotation and files kept (default 10 MiB, 5 files)
 * @param dockerConfig   a docker-style config.json with registry credentials ("auths"); null: anonymous pulls
 * @param insecureRegistries registries (host[:port]) pulled from over plain HTTP besides 127.0.0.0/8 and localhost
 * @param metricsInterval how often the node's and its containers' usage is read and published (default 5 s)
 * @param clusterDns     the cluster DNS's IPv4 address (the proxy's, 10.96.0.10): every container with a pod network
 *                       gets an /etc/resolv.conf naming it (Kubernetes' dnsPolicy ClusterFirst); null: the image's own
 * @param allowPrivileged containers with {@code securityContext.privileged: true} may run here (the kubelet's old
 *                       --allow-privileged); off by default, so a pod cannot ask its way out of its container
 */
public record NodeAgentOptions(String nodeName, Path stateDir, Path imagesDir, NodeResources capacity,
                               Duration heartbeatInterval, Duration resyncInterval, RestartBackoff restartBackoff,
                               Map<String, String> labels, List<Taint> taints, Duration statusReportInterval,
                               LogLimits containerLogs, Path dockerConfig, Set<String> insecureRegistries,
                               Duration metricsInterval, String clusterDns, boolean allowPrivileged) {

    /** How often every pod's status is sent again in full, so a report lost in a broker outage heals. */
    public static final Duration DEFAULT_STATUS_REPORT_INTERVAL = Duration.ofMinutes(1);
    /**
     * How often the agent reads its containers' cgroups and publishes a NodeMetrics: 5 s, a third of
     * metrics-server's 15 s resolution, because Berth's autoscaler reacts to each sample as it arrives rather
     * than polling, and a record of a node with 20 pods is about 3.4 KB (see docs/metrics.md).
     */
    public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(5);

    public NodeAgentOptions {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        // A user label may not silently override a well-known one the node sets (kubernetes.io/hostname, os, arch).
        NodeLabels.conflict(nodeName, labels, NodeLabels.hostArch()).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        taints = taints == null ? List.of() : List.copyOf(taints);
        statusReportInterval = statusReportInterval == null ? DEFAULT_STATUS_REPORT_INTERVAL : statusReportInterval;
        containerLogs = containerLogs == null ? LogLimits.KUBELET_DEFAULTS : containerLogs;
        insecureRegistries = insecureRegistries == null ? Set.of() : Set.copyOf(insecureRegistries);
        metricsInterval = metricsInterval == null ? DEFAULT_METRICS_INTERVAL : metricsInterval;
        if (clusterDns != null && !clusterDns.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")) {
            throw new IllegalArgumentException("the cluster DNS must be an IPv4 address, not " + clusterDns);
        }
        for (Duration d : new Duration[] {heartbeatInterval, resyncInterval, statusReportInterval, metricsInterval}) {
            if (d == null || d.toMillis() < 1) throw new IllegalArgumentException("node agent intervals must be at least 1 ms: " + d);
        }
    }

    public NodeAgentOptions(String nodeName, Path stateDir, Path imagesDir, NodeResources capacity, Duration heartbeatInterval,
                            Duration resyncInterval, RestartBackoff restartBackoff, Map<String, String> labels, List<Taint> taints) {
        this(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, labels, taints, null, null, null, null, null, null, false);
    }

    public static NodeAgentOptions local(String nodeName, Path stateDir, Path imagesDir) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, hostCapacity(), Duration.ofSeconds(1), Duration.ofSeconds(5),
                RestartBackoff.DEV_DEFAULTS, Map.of(), List.of());
    }

    public NodeAgentOptions withResyncInterval(Duration d) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, d, restartBackoff, labels, taints,
                statusReportInterval, containerLogs, dockerConfig, insecureRegistries, metricsInterval, clusterDns, allowPrivileged);
    }

    public NodeAgentOptions withStatusReportInterval(Duration d) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, labels, taints,
                d, containerLogs, dockerConfig, insecureRegistries, metricsInterval, clusterDns, allowPrivileged);
    }

    /** containerLogMaxSize and containerLogMaxFiles, as the kubelet calls them. */
    public NodeAgentOptions withContainerLogs(LogLimits l) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, labels, taints,
                statusReportInterval, l, dockerConfig, insecureRegistries, metricsInterval, clusterDns, allowPrivileged);
    }

    public NodeAgentOptions withCapacity(NodeResources c) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, c, heartbeatInterval, resyncInterval, restartBackoff, labels, taints,
                statusReportInterval, containerLogs, dockerConfig, insecureRegistries, metricsInterval, clusterDns, allowPrivileged);
    }

    public NodeAgentOptions withMetricsInterval(Duration d) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, labels, taints,
                statusReportInterval, containerLogs, dockerConfig, insecureRegistries, d, clusterDns, allowPrivileged);
    }

    public NodeAgentOptions withHeartbeatInterval(Duration d) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, d, resyncInterval, restartBackoff, labels, taints,
                statusReportInterval, containerLogs, dockerConfig, insecureRegistries, metricsInterval, clusterDns, allowPrivileged);
    }

    public NodeAgentOptions withRestartBackoff(RestartBackoff b) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, b, labels, taints,
                statusReportInterval, containerLogs, dockerConfig, insecureRegistries, metricsInterval, clusterDns, allowPrivileged);
    }

    public NodeAgentOptions withLabels(Map<String, String> l) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, l, taints,
                statusReportInterval, containerLogs, dockerConfig, insecureRegistries, metricsInterval, clusterDns, allowPrivileged);
    }

    public NodeAgentOptions withTaints(List<Taint> t) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, labels, t,
                statusReportInterval, containerLogs, dockerConfig, insecureRegistries, metricsInterval, clusterDns, allowPrivileged);
    }

    /** Registry credentials and plain-HTTP registries for the node's image pulls. */
    public NodeAgentOptions withRegistries(Path dockerConfigJson, Set<String> insecure) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, labels, taints,
                statusReportInterval, containerLogs, dockerConfigJson, insecure, metricsInterval, clusterDns, allowPrivileged);
    }

    /** Containers with a pod network resolve through this cluster DNS address; null: they keep the image's resolv.conf. */
    public NodeAgentOptions withClusterDns(String address) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, labels, taints,
                statusReportInterval, containerLogs, dockerConfig, insecureRegistries, metricsInterval, address, allowPrivileged);
    }

    /** The node advertising these extended resources (name to count) in its capacity, as a device plugin would. */
    public NodeAgentOptions withExtendedResources(Map<String, Long> resources) {
        return withCapacity(capacity.withExtended(resources));
    }

    /**
     * Extended resources as an operator writes them, {@code NAME=COUNT} each (e.g. {@code nvidia.com/gpu=2}):
     * a qualified name with a domain, a whole number, at most {@link Limits#EXTENDED_RESOURCES_MAX_ENTRIES}.
     *
     * @throws IllegalArgumentException saying which one is wrong and why
     */
    public static Map<String, Long> extendedResources(List<String> declared) {
        Map<String, Long> out = new TreeMap<>();
        for (String d : declared == null ? List.<String>of() : declared) {
            int eq = d.lastIndexOf('=');
            String name = eq < 0 ? d : d.substring(0, eq);
            if (eq <= 0 || name.length() > Limits.EXTENDED_RESOURCE_NAME_MAX_LENGTH || !Limits.EXTENDED_RESOURCE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("extended resource '" + Limits.excerpt(d, 80) + "': expected NAME=COUNT with a "
                        + "qualified name, e.g. nvidia.com/gpu=2");
            }
            long count;
            try {
                count = Long.parseLong(d.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("extended resource '" + Limits.excerpt(d, 80) + "': the count must be a whole number");
            }
            if (count < 0 || count > Limits.EXTENDED_RESOURCE_MAX) {
                throw new IllegalArgumentException("extended resource '" + Limits.excerpt(d, 80) + "': the count must be between 0 and "
                        + Limits.EXTENDED_RESOURCE_MAX);
            }
            out.put(name, count);
        }
        if (out.size() > Limits.EXTENDED_RESOURCES_MAX_ENTRIES) {
            throw new IllegalArgumentException(out.size() + " extended resources, at most " + Limits.EXTENDED_RESOURCES_MAX_ENTRIES + " are allowed");
        }
        return out;
    }

    /** cgroup parent of this node's containers: {@code /berth/<node>}. */
    public String cgroupParent() { return "/berth/" + nodeName; }

    public static NodeResources hostCapacity() {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return new NodeResources(Runtime.getRuntime().availableProcessors() * 1000L, memory, 110);
    }

    /** Lets pods run privileged containers on this node (docs/security.md); refused by default. */
    public NodeAgentOptions withAllowPrivileged(boolean allowed) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, labels, taints,
                statusReportInterval, containerLogs, dockerConfig, insecureRegistries, metricsInterval, clusterDns, allowed);
    }
}
