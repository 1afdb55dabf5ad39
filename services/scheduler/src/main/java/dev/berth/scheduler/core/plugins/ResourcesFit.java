package dev.berth.scheduler.core.plugins;

import dev.berth.bus.contract.NodeResources;
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
        if (node.freePodSlots() < 1) return TOO_MANY_PODS;
        NodeResources capacity = node.capacity();
        Resources used = node.allocated();
        Resources want = pod.resources();
        if (want.cpuMillis() > capacity.cpuMillis() - used.cpuMillis()) return INSUFFICIENT_CPU;
        if (want.memoryBytes() > capacity.memoryBytes() - used.memoryBytes()) return INSUFFICIENT_MEMORY;
        return null;
    }
}
