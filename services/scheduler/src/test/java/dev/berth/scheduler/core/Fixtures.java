package dev.berth.scheduler.core;

import dev.berth.bus.Outbound;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders for the pure tests: nodes and pods in round numbers, one fixed clock. */
final class Fixtures {
    private Fixtures() {}

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant STARTED = Instant.parse("2025-12-31T23:00:00Z");
    static final long MI = 1024L * 1024;
    static final Duration STALENESS = Duration.ofSeconds(5);

    static Instant at(double seconds) { return T0.plusMillis((long) (seconds * 1000)); }

    /** A node with {@code cpu} millicores, {@code memoryMi} MiB and {@code pods} slots. */
    static NodeHeartbeat heartbeat(String node, long cpu, long memoryMi, int pods) {
        NodeResources capacity = new NodeResources(cpu, memoryMi * MI, pods);
        return new NodeHeartbeat(node, capacity, capacity, List.of("busybox"), List.of(), 1, STARTED);
    }

    static NodeHeartbeat standardNode(String node) { return heartbeat(node, 1000, 1024, 10); }

    static PodTemplate template(long cpu, long memoryMi, String restartPolicy) {
        return new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), Map.of(),
                new Resources(cpu, memoryMi * MI), restartPolicy, 10);
    }

    static PodCreated pod(String name, long cpu, long memoryMi) { return pod(name, cpu, memoryMi, "Always"); }

    static PodCreated pod(String name, long cpu, long memoryMi, String restartPolicy) {
        return new PodCreated(name, "web", 1, template(cpu, memoryMi, restartPolicy));
    }

    static PodDeletionRequested deletion(String pod) { return new PodDeletionRequested(pod, "web", "scaled down"); }

    static PodStatusChanged status(String pod, String node, ContainerState state, Integer exitCode) {
        return new PodStatusChanged(pod, node, state, exitCode, null, null, 0);
    }

    static Processors processors() { return processors(new SchedulerState()); }

    static Processors processors(SchedulerState state) {
        return Processors.standard(state, SchedulingPolicy.SPREAD, STALENESS);
    }

    static NodeView view(String name, long cpu, long memoryMi, int pods, long usedCpu, long usedMemoryMi, int podCount,
                         Instant lastHeartbeat) {
        return new NodeView(name, new NodeResources(cpu, memoryMi * MI, pods), new Resources(usedCpu, usedMemoryMi * MI),
                podCount, lastHeartbeat, STARTED);
    }

    static PodRequest request(long cpu, long memoryMi) {
        return new PodRequest("p", "web", template(cpu, memoryMi, "Always"));
    }

    static <T extends Payload> List<T> payloads(List<Outbound> out, Class<T> type) {
        return out.stream().map(Outbound::payload).filter(type::isInstance).map(type::cast).toList();
    }
}
