package dev.berth.controller;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.controller.core.ControllerState;
import dev.berth.controller.core.PodRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The controller's own series beside the loop's: pods by Kubernetes phase, nodes by condition,
 * deployments and services, commands answered. Counts are taken on the loop's context (the state is
 * not thread-safe) into a snapshot that scrapes read.
 */
final class ControllerMetrics {
    enum Phase { Pending, Running, Succeeded, Failed }

    private final MeterRegistry registry;
    private volatile Map<Phase, Long> pods = new EnumMap<>(Phase.class);
    private volatile long ready, notReady, deployments, services;

    ControllerMetrics(ServiceMetrics metrics) {
        this.registry = metrics.registry();
        for (Phase p : Phase.values()) {
            Gauge.builder("berth.pods", () -> pods.getOrDefault(p, 0L)).description("Pods the controller keeps, by phase")
                    .tag("phase", p.name()).register(registry);
        }
        Gauge.builder("berth.nodes", () -> ready).description("Nodes by condition").tag("condition", "Ready").register(registry);
        Gauge.builder("berth.nodes", () -> notReady).description("Nodes by condition").tag("condition", "NotReady").register(registry);
        Gauge.builder("berth.deployments", () -> deployments).description("Deployments").register(registry);
        Gauge.builder("berth.services", () -> services).description("Services").register(registry);
    }

    /** On the loop's context: counts the state's objects for the next scrapes. */
    void sample(ControllerState state) {
        Map<Phase, Long> counts = new EnumMap<>(Phase.class);
        for (PodRecord pod : state.pods().values()) counts.merge(phase(pod), 1L, Long::sum);
        pods = counts;
        long r = 0;
        for (var node : state.nodes().values()) if (node.condition() == NodeCondition.Ready) r++;
        ready = r;
        notReady = state.nodes().size() - r;
        deployments = state.deployments().size();
        services = state.services().size();
    }

    /** Kubernetes' pod phase from what the controller knows of the pod. */
    static Phase phase(PodRecord pod) {
        ContainerState s = pod.state();
        if (s == ContainerState.Running || s == ContainerState.Terminating) return Phase.Running;
        if (s == ContainerState.Exited) return pod.exitCode() != null && pod.exitCode() == 0 ? Phase.Succeeded : Phase.Failed;
        if (s == ContainerState.Failed) return Phase.Failed;
        return Phase.Pending;
    }

    void observe(Decision<ControllerState> decision) {
        for (Outbound out : decision.outputs()) {
            if (out.payload() instanceof CommandAccepted a) commands(a.commandType(), "accepted").increment();
            else if (out.payload() instanceof CommandRejected r) commands(r.commandType(), "rejected").increment();
            else if (out.payload() instanceof PodLost) Counter.builder("berth.pods.lost").description("Pods lost with their node")
                    .register(registry).increment();
            else if (out.payload() instanceof dev.berth.bus.contract.PodIntruderFound) Counter.builder("berth.pods.intruders")
                    .description("Pods found on nodes that the controller never created (stopped by their nodes)").register(registry).increment();
        }
    }

    private Counter commands(String type, String outcome) {
        return Counter.builder("berth.commands").description("Commands answered, by type and outcome")
                .tag("type", type == null ? "unreadable" : type).tag("outcome", outcome).register(registry);
    }
}
