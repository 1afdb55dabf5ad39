package dev.berth.scheduler.core.plugins;

import dev.berth.bus.contract.Resources;
import dev.berth.scheduler.core.FilterPlugin;
import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import java.time.Instant;

/**
 * Rejects nodes without room: pod slots, cpu and memory are checked against the node's capacity
 * minus what this scheduler already bound there (heartbeats lag; our own bindings are the truth).
 * One reason per node, checked in Kubernetes' order: pods, cpu, memory.
 */
public record ResourcesFit() implements FilterPlugin {
    public static final String TOO_MANY_PODS = "too many pods";
    public static final String INSUFFICIENT_CPU = "insufficient cpu";
    public static final String INSUFFICIENT_MEMORY = "insufficient memory";

    @Override public String name() { return "ResourcesFit"; }

    @Override
    public String filter(PodRequest pod, NodeView node, Instant now) {
        Resources want = pod.resources();
        return fit(want.cpuMillis(), want.memoryBytes(), node);
    }

    /** The pod's request as two numbers, read once per pod instead of per node. */
    @Override
    public FilterPlugin forPod(PodRequest pod) {
        Resources want = pod.resources();
        return new Fitting(want.cpuMillis(), want.memoryBytes());
    }

    private static String fit(long cpuMillis, long memoryBytes, NodeView node) {
        if (node.freePodSlots() < 1) return TOO_MANY_PODS;
        if (cpuMillis > node.capacityCpuMillis() - node.allocatedCpuMillis()) return INSUFFICIENT_CPU;
        if (memoryBytes > node.capacityMemoryBytes() - node.allocatedMemoryBytes()) return INSUFFICIENT_MEMORY;
        return null;
    }

    private record Fitting(long cpuMillis, long memoryBytes) implements FilterPlugin {
        @Override public String name() { return "ResourcesFit"; }

        @Override
        public String filter(PodRequest pod, NodeView node, Instant now) { return fit(cpuMillis, memoryBytes, node); }
    }
}
