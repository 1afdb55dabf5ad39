package dev.berth.scheduler.core;

import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.scheduler.core.SchedulerState.Binding;
import dev.berth.scheduler.core.SchedulerState.Node;
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
 * <p>Retries are driven by change, not by the clock: capacity freed, a node added, resized or
 * ready again forces a pass over the pending pods; the periodic {@link #retryPending} skips the
 * pass when nothing it depends on moved. An unschedulable pod is reported only when its message
 * changes.
 */
public final class Processors {
    private final SchedulerState state;
    private final Scheduler scheduler;
    private final Duration nodeStaleness;
    private Instant holdUntil = Instant.MIN;
    /** Ready nodes at the last full pass; null forces the next pass. Not state: it only saves work. */
    private Integer readyNodesAtLastPass;

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
        Binding bound = state.binding(request.pod());
        Appliers.apply(state, request);
        if (bound == null) return List.of();
        List<Outbound> out = new ArrayList<>();
        release(state.binding(request.pod()), releaseReason(request), out);
        out.addAll(bound.holdsCapacity() ? forceRetry(now) : retryPending(now));
        return out;
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
        boolean wasReady = before != null && before.isReady(now, nodeStaleness);
        Appliers.heartbeat(state, hb, sentAt.isAfter(now) ? now : sentAt);
        Node after = state.node(hb.node());
        boolean relevant = before == null
                || !before.capacity().equals(after.capacity())
                || (!wasReady && after.isReady(now, nodeStaleness));
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
        int ready = state.readyNodeCount(now, nodeStaleness);
        if (readyNodesAtLastPass != null && readyNodesAtLastPass == ready) return List.of();
        List<Outbound> out = new ArrayList<>();
        for (PendingPod p : state.pendingInOrder()) tryPlace(p, now, out);
        readyNodesAtLastPass = ready;
        return out;
    }

    /**
     * Level-triggered repair, for the timer and after a rebuild: releases bound pods whose deletion
     * was seen but whose release never reached the log, then retries the pending pods.
     */
    public List<Outbound> resync(Instant now) {
        List<Outbound> out = new ArrayList<>();
        boolean freed = false;
        List<Binding> due = state.bindings().stream().filter(Binding::deletionRequested)
                .sorted(Comparator.comparing(Binding::pod)).toList();
        for (Binding b : due) {
            release(b, "pod deleted", out);
            freed |= b.holdsCapacity();
        }
        out.addAll(freed ? forceRetry(now) : retryPending(now));
        return out;
    }

    private List<Outbound> forceRetry(Instant now) {
        readyNodesAtLastPass = null;
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

    private void release(Binding binding, String reason, List<Outbound> out) {
        PodReleased event = new PodReleased(binding.pod(), binding.node(), reason);
        Appliers.apply(state, event);
        out.add(new Outbound(Topic.PLACEMENTS, binding.node(), event));
    }

    private static void require(boolean valid, String problem) {
        if (!valid) throw new IllegalArgumentException(problem);
    }

    private static String releaseReason(PodDeletionRequested request) {
        return request.reason() == null || request.reason().isBlank() ? "pod deleted" : "pod deleted: " + request.reason();
    }
}
