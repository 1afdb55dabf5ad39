package dev.berth.node.metrics;

import dev.berth.bus.Limits;
import dev.berth.bus.contract.ContainerMetrics;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.node.core.NodeState;
import dev.berth.node.core.PodRuntime;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.PodMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The node agent's metrics core: two successive readings of the node and of its containers' cgroups in, one
 * {@link NodeMetrics} out, as metrics-server derives its numbers from cAdvisor's. CPU is a rate, so it needs
 * two readings of the same container: a container seen for the first time, or whose counter went back (it
 * restarted, a new cgroup), is left out of this record rather than reported idle — an autoscaler must treat
 * it as "no metric yet", not as 0 % (Kubernetes' rule for missing metrics). Pure: time comes in as data.
 */
public final class ResourceMetrics {
    private ResourceMetrics() {}

    /** A container as read now: its pod, which run of it (its restart count: a restart is a new cgroup), its usage. */
    public record ContainerSample(String pod, long run, UsageSample usage) {}

    /** Everything read at one instant: the node's own totals and each running container's (by pod). */
    public record Reading(Instant at, UsageSample node, Map<String, ContainerSample> containers) {
        public Reading {
            containers = Map.copyOf(containers);
        }
    }

    /** What the agent knows of a pod it runs, from its placement: namespace, deployment and container name. */
    public record PodInfo(String namespace, String deployment, String container) {

        /** Berth's pods have one container, named after its deployment (as `berth get pod -o yaml` shows), else the pod. */
        public static PodInfo of(String namespace, String pod, String deployment) {
            String name = deployment != null ? deployment : pod;
            return new PodInfo(namespace, deployment, name.length() > Limits.CONTAINER_NAME_MAX_LENGTH
                    ? name.substring(0, Limits.CONTAINER_NAME_MAX_LENGTH) : name);
        }
    }

    /** A container the node runs now, whose cgroup the shell reads. */
    public record Target(String pod, int run, PodInfo info) {}

    /** The node's Running containers of pods placed on it (a released pod's container is on its way out). */
    public static List<Target> targets(NodeState s) {
        List<Target> out = new ArrayList<>();
        for (PodRuntime r : s.actual().values()) {
            PodPlaced placed = s.placementOf(r.pod());
            if (r.state() != ContainerState.Running || placed == null) continue;
            String name = dev.berth.node.core.PodContainers.nameOf(r.pod());
            PodInfo info = name == null ? PodInfo.of(placed.namespace(), r.pod(), placed.deployment())
                    : new PodInfo(placed.namespace(), placed.deployment(), name); // one of a pod's several containers
            out.add(new Target(r.pod(), r.restarts(), info));
        }
        return out;
    }

    /**
     * CPU millicores used between two cumulative readings {@code window} apart: empty when there is no rate
     * (no window, or the counter went back, i.e. it was reset). Rounded down, capped at the bus's bound.
     */
    public static OptionalLong millicores(long previousNanos, long currentNanos, Duration window) {
        long windowNanos = window.toNanos();
        if (windowNanos <= 0 || currentNanos < previousNanos) return OptionalLong.empty();
        // ns of CPU per ns of wall time, × 1000: (delta × 1000) / window, without overflowing for long windows
        double cores = (double) (currentNanos - previousNanos) / windowNanos;
        return OptionalLong.of(Math.min(Limits.CPU_MILLIS_MAX, (long) Math.floor(cores * 1000)));
    }

    /**
     * The record for {@code current}, rates taken against {@code previous}; empty when there is no rate for
     * the node itself yet (the agent's first reading, or the clock went back). Pods the agent does not know
     * (not in {@code pods}: released meanwhile) are left out; beyond {@link Limits#METRICS_PODS_MAX_ITEMS}
     * pods (far above any node's pod capacity) the record is truncated, by pod name, so that it stays one
     * record per node per sample, which is what a reader takes as the node's latest.
     */
    public static java.util.Optional<NodeMetrics> metrics(String node, Reading previous, Reading current, Map<String, PodInfo> pods) {
        if (previous == null) return java.util.Optional.empty();
        Duration window = Duration.between(previous.at(), current.at());
        OptionalLong nodeCpu = millicores(previous.node().cpuUsageNanos(), current.node().cpuUsageNanos(), window);
        if (nodeCpu.isEmpty()) return java.util.Optional.empty();
        // one entry per pod, its containers' samples together (runtime ids pod_container sort next to each other)
        Map<String, PodMetrics> byPod = new java.util.LinkedHashMap<>();
        for (ContainerSample c : new TreeMap<>(current.containers()).values()) {
            String pod = dev.berth.node.core.PodContainers.podOf(c.pod());
            if (byPod.size() == Limits.METRICS_PODS_MAX_ITEMS && !byPod.containsKey(pod)) break;
            PodInfo info = pods.get(c.pod());
            ContainerSample before = previous.containers().get(c.pod());
            if (info == null || before == null || before.run() != c.run()) continue;
            OptionalLong cpu = millicores(before.usage().cpuUsageNanos(), c.usage().cpuUsageNanos(), window);
            if (cpu.isEmpty()) continue;
            ContainerMetrics m = new ContainerMetrics(info.container(), cpu.getAsLong(), memory(c.usage()));
            PodMetrics known = byPod.get(pod);
            List<ContainerMetrics> containers = new ArrayList<>(known == null ? List.of() : known.containers());
            containers.add(m);
            byPod.put(pod, new PodMetrics(info.namespace(), pod, info.deployment(), containers));
        }
        List<PodMetrics> out = new ArrayList<>(byPod.values());
        return java.util.Optional.of(new NodeMetrics(node, current.at(), window.toMillis(), nodeCpu.getAsLong(),
                memory(current.node()), out));
    }

    private static long memory(UsageSample s) {
        return Math.min(Limits.MEMORY_BYTES_MAX, s.workingSetBytes());
    }
}
