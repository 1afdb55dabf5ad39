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
import java.util.TreeSet;
import java.util.List;

/**
 * The scheduler's core, in Kubernetes' shape: inputs are applied to the state as they arrive
 * ({@link #apply}: one processor per input, through {@link Appliers}), and a scheduling cycle
 * ({@link #cycle}) then decides: releases that are due, and placements for the pods waiting to be
 * tried, in name order. Pure: time comes in as {@code now}, outputs go out as {@link Outbound}s. The
 * live shell applies a whole batch of records and runs one cycle; replay does the same per
 * recorded step, so both decide alike.
 *
 * <p>Retries are driven by change, not by the clock: a new pod is tried in the next cycle; a pod that
 * fits nowhere waits until capacity is freed, a node is added, resized, ready again or uncordoned,
 * which makes the next cycle try every pending pod again (the periodic {@link #resync} also does when
 * the number of schedulable nodes moved). An unschedulable pod is reported only when its message
 * changes. A cycle tries at most {@code cycleLimit} pods, which bounds one transaction; the rest wait
 * for the next cycle ({@link #hasMoreToTry}).
 */
public final class Processors {
    /** Pods one cycle tries at most. */
    public static final int DEFAULT_CYCLE_LIMIT = 2_000;

    private final SchedulerState state;
    private final Scheduler scheduler;
    private final Duration nodeStaleness;
    private final int cycleLimit;
    private Instant holdUntil = Instant.MIN;
    /** Pending pods the next cycles try, in name order (Kubernetes' active queue); other pending pods wait for a change. */
    private final TreeSet<String> toTry = new TreeSet<>();
    /** An input may have let waiting pods fit: the next cycle with pending pods tries all of them. A new incarnation tries all once. */
    private boolean retryAll = true;
    /** Schedulable nodes at the last cycle that did something; null before the first. */
    private Integer schedulableNodesAtLastCycle;
    private boolean lastCycleWorked;

    public Processors(SchedulerState state, Profile profile, Duration nodeStaleness) {
        this(state, profile, nodeStaleness, DEFAULT_CYCLE_LIMIT);
    }

    public Processors(SchedulerState state, Profile profile, Duration nodeStaleness, int cycleLimit) {
        this.state = state;
        this.scheduler = new Scheduler(profile);
        this.nodeStaleness = nodeStaleness;
        this.cycleLimit = cycleLimit;
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

    // ---- inputs: change state, decide nothing

    /**
     * Applies one input event: the single entry point of the live shell and of replay, so both apply
     * inputs alike. {@code recordTime} is the envelope's time (heartbeats use it).
     *
     * @throws IllegalArgumentException for an input the core cannot take (e.g. a heartbeat without
     *                                  capacity); nothing is applied
     */
    public void apply(Payload p, Instant recordTime, Instant now) {
        if (p instanceof NodeHeartbeat hb) applyHeartbeat(hb, recordTime, now);
        else if (p instanceof PodCreated c) applyPodCreated(c);
        else if (p instanceof PodDeletionRequested d) applyRelease(d.pod(), d);
        else if (p instanceof PodLost l) applyRelease(l.pod(), l);
        else if (p instanceof NodeStatusChanged s) applyNodeStatus(s);
        else if (p instanceof PodStatusChanged s) applyPodStatus(s);
    }

    private void applyPodCreated(PodCreated created) {
        require(created.pod() != null && !created.pod().isBlank(), "PodCreated without a pod name");
        if (state.isKnown(created.pod())) return;
        Appliers.apply(state, created);
        toTry.add(created.pod());
    }

    /** Deleted or lost: a pending pod is dropped, a bound one is released in the next cycle. */
    private void applyRelease(String pod, Payload cause) {
        Appliers.apply(state, cause);
        toTry.remove(pod);
    }

    /** The controller's view of a node changed (Ready/NotReady, cordoned): waiting pods may fit now, or read differently. */
    private void applyNodeStatus(NodeStatusChanged status) {
        require(status.node() != null && !status.node().isBlank(), "NodeStatusChanged without a node name");
        require(status.condition() != null, "NodeStatusChanged for " + status.node() + " without a condition");
        NodeStatus before = state.status(status.node());
        Appliers.apply(state, status);
        if (!state.status(status.node()).equals(before)) retryAll = true;
    }

    /** {@code sentAt} is the agent's time; a clock ahead of ours is capped at now. */
    private void applyHeartbeat(NodeHeartbeat hb, Instant sentAt, Instant now) {
        require(hb.node() != null && !hb.node().isBlank(), "NodeHeartbeat without a node name");
        require(hb.capacity() != null, "NodeHeartbeat from " + hb.node() + " without capacity");
        Node before = state.node(hb.node());
        boolean wasReady = before != null && state.view(before).isReady(now, nodeStaleness);
        Appliers.heartbeat(state, hb, sentAt.isAfter(now) ? now : sentAt);
        Node after = state.node(hb.node());
        if (before == null || before.placementDiffers(after) || (!wasReady && state.view(after).isReady(now, nodeStaleness))) {
            retryAll = true;
        }
    }

    private void applyPodStatus(PodStatusChanged status) {
        Binding before = state.binding(status.pod());
        Appliers.apply(state, status);
        Binding after = state.binding(status.pod());
        if (before != null && before.holdsCapacity() && after != null && !after.holdsCapacity()) retryAll = true;
    }

    // ---- cycles: decide

    /**
     * One scheduling cycle: publishes the releases that are due, then, unless holding, tries the
     * pods waiting to be tried (every pending pod when something changed), oldest name first, at most
     * {@code cycleLimit} of them.
     */
    public List<Outbound> cycle(Instant now) {
        List<Outbound> out = new ArrayList<>();
        int released = 0, tried = 0;
        for (Binding due : state.releasesDue()) {
            release(due, out);
            released++;
            if (due.holdsCapacity()) retryAll = true;
        }
        if (!holding(now) && state.pendingCount() > 0) {
            if (retryAll) {
                toTry.addAll(state.pendingNames());
                retryAll = false;
            }
            for (String pod = toTry.pollFirst(); pod != null; pod = tried < cycleLimit ? toTry.pollFirst() : null) {
                PendingPod pending = state.pending(pod);
                if (pending == null) continue;
                tryPlace(pending, now, out);
                tried++;
            }
        }
        lastCycleWorked = released + tried > 0;
        if (lastCycleWorked) schedulableNodesAtLastCycle = state.schedulableNodeCount(now, nodeStaleness);
        return out;
    }

    /** Whether the last cycle released or tried anything (the shell records only cycles that did). */
    public boolean lastCycleWorked() { return lastCycleWorked; }

    /** Whether a cycle run now would try pods: the last one stopped at its limit. */
    public boolean hasMoreToTry(Instant now) {
        return !holding(now) && state.pendingCount() > 0 && (retryAll || !toTry.isEmpty());
    }

    /**
     * The periodic cycle, also level-triggered repair after a rebuild: when the number of schedulable
     * nodes moved since the last cycle (heartbeats aging, say), every pending pod is tried again;
     * releases that are due but never reached the log are published.
     */
    public List<Outbound> resync(Instant now) {
        if (state.pendingCount() > 0 && !holding(now)) {
            int schedulable = state.schedulableNodeCount(now, nodeStaleness);
            if (schedulableNodesAtLastCycle == null || schedulableNodesAtLastCycle != schedulable) retryAll = true;
        }
        return cycle(now);
    }

    // ---- one input and its cycles at once (tests, tools)

    /** Applies one input and runs cycles until nothing is left to try. */
    public List<Outbound> onInput(Payload p, Instant recordTime, Instant now) {
        apply(p, recordTime, now);
        return cycles(now);
    }

    public List<Outbound> onPodCreated(PodCreated created, Instant now) { return onInput(created, now, now); }

    public List<Outbound> onPodDeletionRequested(PodDeletionRequested request, Instant now) { return onInput(request, now, now); }

    public List<Outbound> onPodLost(PodLost lost, Instant now) { return onInput(lost, now, now); }

    public List<Outbound> onNodeStatus(NodeStatusChanged status, Instant now) { return onInput(status, now, now); }

    public List<Outbound> onHeartbeat(NodeHeartbeat hb, Instant sentAt, Instant now) { return onInput(hb, sentAt, now); }

    public List<Outbound> onPodStatus(PodStatusChanged status, Instant now) { return onInput(status, now, now); }

    private List<Outbound> cycles(Instant now) {
        List<Outbound> out = new ArrayList<>(cycle(now));
        while (hasMoreToTry(now)) out.addAll(cycle(now));
        return out;
    }

    private void tryPlace(PendingPod pending, Instant now, List<Outbound> out) {
        PodCreated pod = pending.created();
        Decision decision = scheduler.schedule(state, PodRequest.of(pod), now);
        if (decision instanceof Decision.Placed placed) {
            Integer known = placed.nodesKnown() > placed.nodesConsidered() ? placed.nodesKnown() : null;
            PodPlaced event = new PodPlaced(pod.pod(), placed.node(), pod.deployment(), pod.template(),
                    placed.nodesConsidered(), placed.filtered(), placed.topCandidates(), known, pod.namespace());
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
