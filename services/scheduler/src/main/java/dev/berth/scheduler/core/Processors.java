package dev.berth.scheduler.core;

import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One processor per input: decides what to publish and applies those events to the state through
 * {@link Appliers}. Pure: time comes in as {@code now}, outputs go out as {@link Outbound}s.
 *
 * <p>Retries are driven by change, not by the clock: capacity freed, a node added, resized, ready
 * again or uncordoned forces a pass over the pending pods; the periodic {@link #retryPending} skips the
 * pass when nothing it depends on moved. An unschedulable pod is reported only when its message
 * changes.
 */
public final class Processors {
    private final SchedulerState state;
    private final Scheduler scheduler;
    private final Duration nodeStaleness;
    private Instant holdUntil = Instant.MIN;
    /** Schedulable nodes at the last full pass; null forces the next pass. Not state: it only saves work. */
    private Integer schedulableNodesAtLastPass;

    public Processors(SchedulerState state, Profile profile, Duration nodeStaleness) {
        this.state = state;
        this.scheduler = new Scheduler(profile);
        this.nodeStaleness = nodeStaleness;
    }

    public static Processors standard(SchedulerState state, SchedulingPolicy policy, Duration nodeStaleness) {
        return new Processors(state, Profile.of(policy, nodeStaleness), nodeStaleness);
    }

    public SchedulerState state() { return state; }

    public Scheduler scheduler() { return scheduler; }

    /**
     * Makes no placement decisions before {@code until}: after a restart, nodes are known only once
     * their heartbeats have been read again; deciding earlier would see too few nodes.
     */
    public void holdUntil(Instant until) { this.holdUntil = until; }

    public boolean holding(Instant now) { return now.isBefore(holdUntil); }

    /**
     * Routes one input event to its processor: the single entry point of the live shell and of replay,
     * so both apply inputs the same way. {@code recordTime} is the envelope's time (heartbeats use it).
     */
    public List<Outbound> onInput(Payload p, Instant recordTime, Instant now) {
        if (p instanceof NodeHeartbeat hb) return onHeartbeat(hb, recordTime, now);
        if (p instanceof PodCreated c) return onPodCreated(c, now);
        if (p instanceof PodDeletionRequested d) return onPodDeletionRequested(d, now);
        if (p instanceof PodLost l) return onPodLost(l, now);
        if (p instanceof NodeStatusChanged s) return onNodeStatus(s, now);
        if (p instanceof PodStatusChanged s) return onPodStatus(s, now);
        return List.of();
    }

    /**
     * Applies an input to the state without deciding anything: how replay applies the inputs that
     * led to no decision when the scheduler saw them (deciding on them again, at another moment,
     * could decide differently).
     */
    public void applyOnly(Payload p, Instant recordTime, Instant now) {
        if (p instanceof NodeHeartbeat hb) Appliers.heartbeat(state, hb, recordTime.isAfter(now) ? now : recordTime);
        else if (p instanceof PodCreated c && !state.isKnown(c.pod())) Appliers.apply(state, c);
        else if (!(p instanceof PodCreated)) Appliers.apply(state, p);
    }

    /** @throws IllegalArgumentException for a pod without a name; nothing is applied */
    public List<Outbound> onPodCreated(PodCreated created, Instant now) {
        require(created.pod() != null && !created.pod().isBlank(), "PodCreated without a pod name");
        if (state.isKnown(created.pod())) return List.of();
        Appliers.apply(state, created);
        List<Outbound> out = new ArrayList<>();
        if (!holding(now)) tryPlace(state.pending(created.pod()), now, out);
        return out;
    }

    public List<Outbound> onPodDeletionRequested(PodDeletionRequested request, Instant now) {
        return releasing(request.pod(), request, now);
    }

    /** The pod's node is gone: its binding is released there, which also stops it if the node returns. */
    public List<Outbound> onPodLost(PodLost lost, Instant now) {
        return releasing(lost.pod(), lost, now);
    }

    private List<Outbound> releasing(String pod, Payload cause, Instant now) {
        Binding bound = state.binding(pod);
        Appliers.apply(state, cause);
        if (bound == null) return List.of();
        List<Outbound> out = new ArrayList<>();
        release(state.binding(pod), out);
        out.addAll(bound.holdsCapacity() ? forceRetry(now) : retryPending(now));
        return out;
    }

    /**
     * The controller's view of a node changed (Ready/NotReady, cordoned): pending pods are tried
     * again, so they land on a node that became schedulable and their messages say what changed.
     *
     * @throws IllegalArgumentException for a status without a node name; nothing is applied
     */
    public List<Outbound> onNodeStatus(NodeStatusChanged status, Instant now) {
        require(status.node() != null && !status.node().isBlank(), "NodeStatusChanged without a node name");
        require(status.condition() != null, "NodeStatusChanged for " + status.node() + " without a condition");
        NodeStatus before = state.status(status.node());
        Appliers.apply(state, status);
        return state.status(status.node()).equals(before) ? List.of() : forceRetry(now);
    }

    /**
     * {@code sentAt} is the agent's time; a clock ahead of ours is capped at now.
     *
     * @throws IllegalArgumentException for a heartbeat without node name or capacity; nothing is applied
     */
    public List<Outbound> onHeartbeat(NodeHeartbeat hb, Instant sentAt, Instant now) {
        require(hb.node() != null && !hb.node().isBlank(), "NodeHeartbeat without a node name");
        require(hb.capacity() != null, "NodeHeartbeat from " + hb.node() + " without capacity");
        Node before = state.node(hb.node());
        boolean wasReady = before != null && state.view(before).isReady(now, nodeStaleness);
        Appliers.heartbeat(state, hb, sentAt.isAfter(now) ? now : sentAt);
        Node after = state.node(hb.node());
        boolean relevant = before == null
                || before.placementDiffers(after)
                || (!wasReady && state.view(after).isReady(now, nodeStaleness));
        return relevant ? forceRetry(now) : List.of();
    }

    public List<Outbound> onPodStatus(PodStatusChanged status, Instant now) {
        Binding before = state.binding(status.pod());
        Appliers.apply(state, status);
        Binding after = state.binding(status.pod());
        boolean freed = before != null && before.holdsCapacity() && after != null && !after.holdsCapacity();
        return freed ? forceRetry(now) : List.of();
    }

    /** Tries every pending pod, oldest first, unless nothing changed since the last pass. Timer-safe. */
    public List<Outbound> retryPending(Instant now) {
        if (state.pendingCount() == 0 || holding(now)) return List.of();
        int schedulable = state.schedulableNodeCount(now, nodeStaleness);
        if (schedulableNodesAtLastPass != null && schedulableNodesAtLastPass == schedulable) return List.of();
        List<Outbound> out = new ArrayList<>();
        for (PendingPod p : state.pendingInOrder()) tryPlace(p, now, out);
        schedulableNodesAtLastPass = schedulable;
        return out;
    }

    /**
     * Level-triggered repair, for the timer and after a rebuild: releases bound pods whose deletion
     * or loss was seen but whose release never reached the log, then retries the pending pods.
     */
    public List<Outbound> resync(Instant now) {
        List<Outbound> out = new ArrayList<>();
        boolean freed = false;
        List<Binding> due = state.bindings().stream().filter(Binding::releaseDue)
                .sorted(Comparator.comparing(Binding::pod)).toList();
        for (Binding b : due) {
            release(b, out);
            freed |= b.holdsCapacity();
        }
        out.addAll(freed ? forceRetry(now) : retryPending(now));
        return out;
    }

    private List<Outbound> forceRetry(Instant now) {
        schedulableNodesAtLastPass = null;
        return retryPending(now);
    }

    private void tryPlace(PendingPod pending, Instant now, List<Outbound> out) {
        PodCreated pod = pending.created();
        Decision decision = scheduler.schedule(state, PodRequest.of(pod), now);
        if (decision instanceof Decision.Placed placed) {
            PodPlaced event = new PodPlaced(pod.pod(), placed.node(), pod.deployment(), pod.template(),
                    placed.nodesConsidered(), placed.filtered(), placed.topCandidates());
            Appliers.apply(state, event);
            out.add(new Outbound(Topic.PLACEMENTS, placed.node(), event));
        } else if (decision instanceof Decision.Unschedulable u && !u.message().equals(pending.lastMessage())) {
            PodUnschedulable event = new PodUnschedulable(pod.pod(), pod.deployment(), u.message(),
                    u.nodesConsidered(), u.filtered());
            Appliers.apply(state, event);
            out.add(new Outbound(Topic.SCHEDULING, pod.pod(), event));
        }
    }

    /** Publishes the release that is due, keyed by the node, so its agent reads it after the pod's placement. */
    private void release(Binding binding, List<Outbound> out) {
        PodReleased event = new PodReleased(binding.pod(), binding.node(), binding.releaseReason());
        Appliers.apply(state, event);
        out.add(new Outbound(Topic.PLACEMENTS, binding.node(), event));
    }

    private static void require(boolean valid, String problem) {
        if (!valid) throw new IllegalArgumentException(problem);
    }
}
