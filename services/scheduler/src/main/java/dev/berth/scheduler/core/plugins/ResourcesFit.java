package dev.berth.scheduler.core.plugins;

import dev.berth.bus.contract.Resources;
import dev.berth.scheduler.core.FilterPlugin;
import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rejects nodes without room for the pod's requests (Kubernetes' NodeResourcesFit): pod slots, cpu, memory
 * and every extended resource the pod requests are checked against the node's capacity minus what this
 * scheduler already bound there (heartbeats lag; our own bindings are the truth). A node that does not
 * advertise an extended resource has none of it. One reason per node, in Kubernetes' order: pods, cpu,
 * memory, then extended resources by name; the reasons read as Kubernetes prints them.
 */
public record ResourcesFit() implements FilterPlugin {
    public static final String TOO_MANY_PODS = "Too many pods";
    public static final String INSUFFICIENT_CPU = "Insufficient cpu";
    public static final String INSUFFICIENT_MEMORY = "Insufficient memory";
    /** Followed by the resource's name: "Insufficient nvidia.com/gpu". */
    public static final String INSUFFICIENT = "Insufficient ";

    @Override public String name() { return "ResourcesFit"; }

    @Override
    public String filter(PodRequest pod, NodeView node, Instant now) { return forPod(pod).filter(pod, node, now); }

    /** The pod's request as numbers, read once per pod instead of per node. */
    @Override
    public FilterPlugin forPod(PodRequest pod) {
        Resources want = pod.resources();
        Map<String, Long> extended = new TreeMap<>();
        want.extended().forEach((k, v) -> { if (v > 0) extended.put(k, v); });
        String[] names = extended.keySet().toArray(String[]::new);
        long[] counts = extended.values().stream().mapToLong(Long::longValue).toArray();
        return new Fitting(want.cpuMillis(), want.memoryBytes(), names, counts);
    }

    private record Fitting(long cpuMillis, long memoryBytes, String[] extendedNames, long[] extendedCounts) implements FilterPlugin {
        @Override public String name() { return "ResourcesFit"; }

        @Override
        public String filter(PodRequest pod, NodeView node, Instant now) {
            if (node.freePodSlots() < 1) return TOO_MANY_PODS;
            if (cpuMillis > node.capacityCpuMillis() - node.allocatedCpuMillis()) return INSUFFICIENT_CPU;
            if (memoryBytes > node.capacityMemoryBytes() - node.allocatedMemoryBytes()) return INSUFFICIENT_MEMORY;
            for (int i = 0; i < extendedNames.length; i++) {
                if (extendedCounts[i] > node.freeExtended(extendedNames[i])) return INSUFFICIENT + extendedNames[i];
            }
            return null;
        }
    }
}
