package dev.berth.scheduler.core;

import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.scheduler.core.SchedulerState.Binding;
import dev.berth.scheduler.core.SchedulerState.Node;
import dev.berth.scheduler.core.SchedulerState.NodeStatus;
import dev.berth.scheduler.core.SchedulerState.PendingPod;
import java.time.Instant;

/**
 * The only code that changes {@link SchedulerState}: one applier per event. Every applier is
 * idempotent (applying an event twice equals applying it once), so the live path and a rebuild from
 * the log, duplicates included, end in the same state.
 */
public final class Appliers {
    private Appliers() {}

    /** Applies any event the scheduler keeps state from; others are ignored. */
    public static void apply(SchedulerState state, Payload event) {
        if (event instanceof PodCreated e) podCreated(state, e);
        else if (event instanceof PodDeletionRequested e) podDeletionRequested(state, e);
        else if (event instanceof PodLost e) podLost(state, e);
        else if (event instanceof NodeStatusChanged e) nodeStatusChanged(state, e);
        else if (event instanceof PodPlaced e) podPlaced(state, e);
        else if (event instanceof PodReleased e) podReleased(state, e);
        else if (event instanceof PodUnschedulable e) podUnschedulable(state, e);
        else if (event instanceof PodStatusChanged e) podStatusChanged(state, e);
    }

    /** A heartbeat, heard at {@code heardAt} (never moves a node's last heartbeat back). */
    public static void heartbeat(SchedulerState state, NodeHeartbeat hb, Instant heardAt) {
        Node old = state.node(hb.node());
        Instant last = old != null && old.lastHeartbeat().isAfter(heardAt) ? old.lastHeartbeat() : heardAt;
        state.putNode(Node.of(hb, last));
    }

    static void podCreated(SchedulerState state, PodCreated e) {
        if (!state.isKnown(e.pod())) state.addPending(new PendingPod(e, null));
    }

    /** A pending pod is dropped; a bound one is marked so its release is published. */
    static void podDeletionRequested(SchedulerState state, PodDeletionRequested e) {
        boolean explained = e.reason() != null && !e.reason().isBlank();
        releaseDue(state, e.pod(), explained ? "pod deleted: " + e.reason() : "pod deleted");
    }

    /** Like a deletion: its node is gone, so the binding is released (which fences the node if it returns). */
    static void podLost(SchedulerState state, PodLost e) {
        releaseDue(state, e.pod(), "node lost");
    }

    private static void releaseDue(SchedulerState state, String pod, String reason) {
        state.removePending(pod);
        Binding b = state.binding(pod);
        if (b != null && !b.releaseDue()) state.replaceBinding(b.dueForRelease(reason));
    }

    static void nodeStatusChanged(SchedulerState state, NodeStatusChanged e) {
        state.putStatus(e.node(), new NodeStatus(e.condition(), e.cordoned()));
    }

    static void podPlaced(SchedulerState state, PodPlaced e) {
        state.removePending(e.pod());
        if (state.binding(e.pod()) != null) return; // already bound: the first placement stands
        var request = new PodRequest(e.pod(), e.deployment(), e.template()).resources();
        // Bindings count replicas per deployment key: the same name in two namespaces is two deployments.
        state.bind(new Binding(e.pod(), e.node(), request, e.deploymentKey(), e.template(), true, null));
    }

    static void podReleased(SchedulerState state, PodReleased e) {
        Binding b = state.binding(e.pod());
        if (b != null && b.node().equals(e.node())) state.unbind(e.pod());
    }

    static void podUnschedulable(SchedulerState state, PodUnschedulable e) {
        PendingPod p = state.pending(e.pod());
        if (p != null) state.replacePending(new PendingPod(p.created(), e.message()));
    }

    static void podStatusChanged(SchedulerState state, PodStatusChanged e) {
        Binding b = state.binding(e.pod());
        if (b == null || !b.holdsCapacity() || !b.node().equals(e.node())) return;
        if (endedForGood(e, b.template() == null ? null : b.template().restartPolicy())) state.replaceBinding(b.freed());
    }

    /**
     * Whether the pod's container is gone and will not be restarted, so its reservation can go:
     * stopped, or ended under Never, or ended cleanly under OnFailure. Under Always the node agent
     * restarts it, so it keeps its place.
     */
    public static boolean endedForGood(PodStatusChanged status, String restartPolicy) {
        ContainerState s = status.state();
        if (s == ContainerState.Stopped) return true;
        if (s != ContainerState.Exited && s != ContainerState.Failed) return false;
        if ("Never".equals(restartPolicy)) return true;
        return "OnFailure".equals(restartPolicy) && Integer.valueOf(0).equals(status.exitCode());
    }
}
