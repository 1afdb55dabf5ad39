package dev.berth.node.core;

import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The node agent's decisions, pure: placements change desired state; runtime reports change
 * actual state; {@link #reconcile} compares all desired pods with all actual containers and says
 * what to start and stop. Every state change of a container is reported on berth.pod-status.
 */
public final class NodeCore {
    private NodeCore() {}

    /** A placement for this node: the pod becomes desired. Placements for other nodes are ignored. */
    public static NodeState placed(NodeState s, PodPlaced p) {
        return p.node().equals(s.node()) ? s.withDesired(p.pod(), p) : s;
    }

    /** A release for this node: the pod is no longer desired here. */
    public static NodeState released(NodeState s, PodReleased r) {
        return r.node().equals(s.node()) ? s.withDesired(r.pod(), null) : s;
    }

    /** Level-triggered: start every desired pod that has no container, stop every container no longer desired. */
    public static NodeDecision reconcile(NodeState s) {
        NodeState next = s;
        List<NodeAction> actions = new ArrayList<>();
        List<Outbound> events = new ArrayList<>();
        for (PodPlaced p : s.desired().values()) {
            if (s.actual().containsKey(p.pod())) continue;
            next = next.withActual(p.pod(), new PodRuntime(p.pod(), ContainerState.Starting, null, 0,
                    p.template().terminationGracePeriodSeconds()));
            actions.add(new NodeAction.StartContainer(p.pod(), p.template()));
            events.add(status(s, p.pod(), ContainerState.Starting, null, "Scheduled", "starting container", 0));
        }
        for (PodRuntime r : s.actual().values()) {
            // A container still starting is stopped once it runs: runc cannot stop it half-created.
            if (s.desired().containsKey(r.pod()) || r.state() == ContainerState.Starting || r.state() == ContainerState.Terminating) continue;
            next = next.withActual(r.pod(), r.with(ContainerState.Terminating, r.exitCode()));
            actions.add(new NodeAction.StopContainer(r.pod(), r.gracePeriodSeconds()));
            events.add(status(s, r.pod(), ContainerState.Terminating, r.exitCode(), "Killing", "stopping container", r.restarts()));
        }
        return new NodeDecision(next, actions, events);
    }

    /** The agent is shutting down: every container is stopped, whatever is desired. */
    public static NodeDecision shutdown(NodeState s) {
        NodeState next = s;
        List<NodeAction> actions = new ArrayList<>();
        List<Outbound> events = new ArrayList<>();
        for (PodRuntime r : s.actual().values()) {
            if (r.state() == ContainerState.Terminating) continue;
            next = next.withActual(r.pod(), r.with(ContainerState.Terminating, r.exitCode()));
            actions.add(new NodeAction.StopContainer(r.pod(), r.gracePeriodSeconds()));
            events.add(status(s, r.pod(), ContainerState.Terminating, r.exitCode(), "NodeShutdown", "node agent stopping", r.restarts()));
        }
        return new NodeDecision(next, actions, events);
    }

    public static NodeDecision started(NodeState s, String pod, long pid) {
        PodRuntime r = s.actual().get(pod);
        if (r == null || r.state() != ContainerState.Starting) return NodeDecision.of(s);
        NodeState next = s.withActual(pod, r.with(ContainerState.Running, null));
        return then(next, status(s, pod, ContainerState.Running, null, "Started", "container started, pid " + pid, r.restarts()));
    }

    public static NodeDecision startFailed(NodeState s, String pod, String message) {
        PodRuntime r = s.actual().get(pod);
        if (r == null) return NodeDecision.of(s);
        NodeState next = s.withActual(pod, r.with(ContainerState.Failed, null));
        return then(next, status(s, pod, ContainerState.Failed, null, "StartError", message, r.restarts()));
    }

    /** The container's process ended. A container being stopped reports Stopped later instead. */
    public static NodeDecision exited(NodeState s, String pod, int exitCode) {
        PodRuntime r = s.actual().get(pod);
        if (r == null || r.state() == ContainerState.Terminating) return NodeDecision.of(s);
        NodeState next = s.withActual(pod, r.with(ContainerState.Exited, exitCode));
        String reason = exitCode == 0 ? "Completed" : "Error";
        return then(next, status(s, pod, ContainerState.Exited, exitCode, reason, "exited with code " + exitCode, r.restarts()));
    }

    /** The runtime removed the container: forget it. */
    public static NodeDecision stopped(NodeState s, String pod) {
        PodRuntime r = s.actual().get(pod);
        if (r == null) return NodeDecision.of(s);
        NodeState next = s.withActual(pod, null);
        return then(next, status(s, pod, ContainerState.Stopped, r.exitCode(), "Deleted", "container removed", r.restarts()));
    }

    /** The periodic report: allocatable is capacity minus what the pods placed here reserve. */
    public static NodeHeartbeat heartbeat(NodeState s, NodeResources capacity, List<String> images, long sequence, Instant startedAt) {
        Resources reserved = Resources.ZERO;
        for (PodPlaced p : s.desired().values()) reserved = reserved.plus(p.template().resources());
        NodeResources allocatable = new NodeResources(
                Math.max(0, capacity.cpuMillis() - reserved.cpuMillis()),
                Math.max(0, capacity.memoryBytes() - reserved.memoryBytes()),
                Math.max(0, capacity.pods() - s.desired().size()));
        List<String> running = s.actual().values().stream()
                .filter(r -> r.state() == ContainerState.Running).map(PodRuntime::pod).sorted().toList();
        return new NodeHeartbeat(s.node(), capacity, allocatable, images, running, sequence, startedAt);
    }

    private static Outbound status(NodeState s, String pod, ContainerState state, Integer exitCode, String reason,
                                   String message, int restarts) {
        return new Outbound(Topic.POD_STATUS, pod, new PodStatusChanged(pod, s.node(), state, exitCode, reason, message, restarts));
    }

    private static NodeDecision then(NodeState next, Outbound event) {
        return new NodeDecision(next, List.of(), List.of(event));
    }
}
