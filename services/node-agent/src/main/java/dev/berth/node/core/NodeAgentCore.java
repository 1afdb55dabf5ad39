package dev.berth.node.core;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.Cause;
import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.LogTail;
import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.RecordLimits;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerImage;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodIntruderFound;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.Taint;
import dev.berth.bus.labels.NodeLabels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A node as its {@link ServiceLoop} runs it: placements, ticks and what the runtime reports back
 * (started, failed to start, exited, stopped) are inputs; the decisions of {@link NodeCore},
 * {@link Restarts} and {@link Adoption} are taken through {@link #step}, which adds what the loop owes
 * ({@link Pending}): starts beyond the free slots wait in the state, and each status change that
 * answers a placement record names it as its cause. The effects are the shell's work: the
 * {@link NodeAction}s, heartbeats to send, log rotation and the timer of the next back-off.
 * The per-node functions are static so the hollow nodes run the very same decisions for many nodes.
 */
public final class NodeAgentCore implements ServiceLoop.Core<NodeState> {

    // ---- inputs ----
    /** Reconcile everything (the resync tick); also rotates container logs. */
    public record Resync() {}
    /** Report every pod's last status again, in full. */
    public record ReReport() {}
    /** The earliest back-off is over. */
    public record WakeUp() {}
    /**
     * Heartbeat tick: what the runtime has in its image store now (references, and the images with
     * their sizes as Kubernetes' NodeStatus.images lists them), and the beat's sequence number.
     */
    public record Beat(List<String> images, long sequence, List<ContainerImage> containerImages) {
        public Beat {
            containerImages = containerImages == null ? List.of() : List.copyOf(containerImages);
        }

        public Beat(List<String> images, long sequence) { this(images, sequence, List.of()); }
    }
    /** Containers an earlier agent process left behind. */
    public record Adopt(List<FoundContainer> found) {}
    /**
     * The container runs; {@code imageID} is the digest of the image it runs (null: unknown), {@code podIP}
     * the pod's address on the node's pod network (null: none).
     */
    public record Started(String pod, long pid, String imageID, String podIP) {
        public Started(String pod, long pid, String imageID) { this(pod, pid, imageID, null); }
        public Started(String pod, long pid) { this(pod, pid, null, null); }
    }
    /** The runtime could not start it: {@code reason} is the runtime's (an image reason such as ErrImagePull, or StartError). */
    public record StartFailed(String pod, String reason, String message) {
        public StartFailed(String pod, String message) { this(pod, Restarts.START_ERROR, message); }
    }
    public record Exited(ContainerExit exit) {}
    /** The runtime stopped and removed the pod's container. */
    public record Stopped(String pod) {}
    /** The agent stops: every container is stopped, nothing new starts. */
    public record Shutdown() {}
    /** The probe timer ({@link Probes.ProbeAt}) fired. */
    public record ProbeDue() {}
    /** What a {@link Probes.RunProbe} found: {@code success} false for a failure, a timeout or an error. */
    public record ProbeResult(String pod, int restarts, boolean success, String message, String kind) {
        /** A readiness probe's result. */
        public ProbeResult(String pod, int restarts, boolean success, String message) {
            this(pod, restarts, success, message, dev.berth.bus.contract.PodUnhealthy.READINESS);
        }
    }

    // ---- effects besides the NodeActions ----
    /** Send this heartbeat, fire-and-forget: it never waits for a status being retried. */
    public record SendHeartbeat(NodeHeartbeat heartbeat) {}
    public record RotateLogs() {}
    /** The node's pod CIDR is known (or changed): open the pod network with it. */
    public record UsePodCidr(String podCidr) {}
    /** (Re)set the one back-off timer; {@code at} null: none pending. Submit {@link WakeUp} when it fires. */
    public record WakeUpAt(Instant at) {}

    /**
     * What every heartbeat of this node says besides its pods: capacity, labels, taints, when the agent started.
     * {@code labels} are the user's; the heartbeat adds the well-known ones ({@link NodeLabels}) of {@code arch}.
     */
    public record Profile(NodeResources capacity, Map<String, String> labels, List<Taint> taints, Instant startedAt, String arch) {
        public Profile {
            arch = arch == null ? NodeLabels.hostArch() : arch;
        }

        /** A profile of this machine's architecture. */
        public Profile(NodeResources capacity, Map<String, String> labels, List<Taint> taints, Instant startedAt) {
            this(capacity, labels, taints, startedAt, null);
        }

        /** The labels a heartbeat of {@code node} carries: the user's and the well-known ones. */
        public Map<String, String> heartbeatLabels(String node) { return NodeLabels.merged(node, labels, arch); }
    }

    /**
     * The door's size limits: a placement within the controller's template limits makes a few KiB;
     * anything near 256 KiB is not the scheduler's, so it is set aside undecoded.
     */
    public static final RecordLimits LIMITS = RecordLimits.defaults().with(Topic.PLACEMENTS, 256 * 1024);

    private final Profile profile;

    /** The heartbeat's labels, merged once: the node's name never changes under one core. */
    private Map<String, String> heartbeatLabels;

    public NodeAgentCore(Profile profile) { this.profile = profile; }

    /** The placements source of node {@code node}: its own records only, checked by {@link #placementProblem}. */
    public static ServiceLoop.Source placements(LogTail.Start start, Predicate<String> keys) {
        return new ServiceLoop.Source("placements", List.of(Topic.PLACEMENTS), start, Set.of(PodPlaced.class, PodReleased.class))
                .onlyKeys(keys).checkedBy(NodeAgentCore::placementProblem);
    }

    /**
     * The node's own statuses on berth.nodes (its key), for the pod CIDR the controller gave it; every
     * other node's record is skipped undecoded.
     */
    public static ServiceLoop.Source nodeStatuses(LogTail.Start start, String node) {
        return new ServiceLoop.Source("node-status", List.of(Topic.NODES), start, Set.of(NodeStatusChanged.class, PodIntruderFound.class))
                .onlyKeys(node::equals);
    }

    /**
     * Keys a node reads: its own, and keyless ones (to set them aside). Everything else is skipped
     * before it is decoded: with 5,000 peers, a node compares 5,000 keys per round of placements
     * instead of decoding 5,000 templates.
     */
    public static Predicate<String> keysOf(Set<String> nodes) {
        return key -> key == null || key.isBlank() || nodes.contains(key);
    }

    /** What {@link PlacementCheck} and the record's key say against a decoded placement record. */
    public static Optional<String> placementProblem(RawRecord r, Envelope e) {
        String key = r.key();
        if (key == null || key.isBlank()) return Optional.of("placement record without a key (the key names the node)");
        if (e.data() instanceof PodPlaced p) {
            Optional<String> problem = PlacementCheck.problem(p);
            if (problem.isPresent()) return problem;
            if (!p.node().equals(key)) return Optional.of("placement for node " + p.node() + " under the key of node " + key);
        } else if (e.data() instanceof PodReleased rel) {
            Optional<String> problem = PlacementCheck.problem(rel);
            if (problem.isPresent()) return problem;
            if (!rel.node().equals(key)) return Optional.of("release for node " + rel.node() + " under the key of node " + key);
        }
        return Optional.empty();
    }

    /** The same door for a rebuild: the record as the live loop would take it, or empty when the loop skips or sets it aside. */
    public static Optional<Envelope> admit(ServiceLoop.Source source, RawRecord r, RecordLimits limits) {
        if (!source.keys().test(r.key())) return Optional.empty();
        try {
            return Optional.of(source.admit(r, limits));
        } catch (BadRecordException e) {
            return Optional.empty();
        }
    }

    // ---- the loop's core ----

    @Override
    public Decision<NodeState> onRecord(NodeState s, ServiceLoop.Received in) {
        NodeState next = fold(s, in.envelope());
        String cidr = next.network().podCidr();
        if (cidr != null && !cidr.equals(s.network().podCidr())) return new Decision<>(next, List.of(), List.of(new UsePodCidr(cidr)), null);
        return Decision.unchanged(next);
    }

    /** Once per batch of placements: one reconcile for all of them. */
    @Override
    public Decision<NodeState> afterBatch(NodeState s, ServiceLoop.BatchEnd batch) {
        return batch.received().isEmpty() ? Decision.unchanged(s) : reconcile(s, batch.now());
    }

    @Override
    public Decision<NodeState> onInput(NodeState s, Object input, Instant now) {
        if (input instanceof Beat beat) {
            NodeHeartbeat hb = NodeCore.heartbeat(s, profile.capacity(), beat.images(), beat.sequence(), profile.startedAt())
                    .withLabelsAndTaints(heartbeatLabels(s.node()), profile.taints()).withContainerImages(beat.containerImages());
            return new Decision<>(s, List.of(), List.of(new SendHeartbeat(hb)), null);
        }
        return react(s, input, now);
    }

    private Map<String, String> heartbeatLabels(String node) {
        if (heartbeatLabels == null) heartbeatLabels = profile.heartbeatLabels(node);
        return heartbeatLabels;
    }

    // ---- one node's decisions, shared with the hollow nodes ----

    /**
     * A placement record for this node: desired state changes, and the pod remembers the record as its next
     * cause; or this node's status, for its pod CIDR.
     */
    public static NodeState fold(NodeState s, Envelope placement) {
        if (placement.data() instanceof PodPlaced p && p.node().equals(s.node())) {
            if (s.refused().contains(p.pod())) return s; // the controller said it never created this pod
            return withCause(NodeCore.placed(s, p), p.pod(), new Pending.PodCause(Cause.of(placement), false));
        }
        if (placement.data() instanceof PodReleased r && r.node().equals(s.node())) {
            return withCause(NodeCore.released(s, r), r.pod(), new Pending.PodCause(Cause.of(placement), true));
        }
        if (placement.data() instanceof PodIntruderFound f && f.node().equals(s.node())) {
            return withCause(s.refuse(f.pod()), f.pod(), new Pending.PodCause(Cause.of(placement), true));
        }
        if (placement.data() instanceof NodeStatusChanged st && st.node().equals(s.node()) && st.podCIDR() != null) {
            return s.withPodCidr(st.podCIDR()); // a status without one (an older log, an exhausted cluster CIDR) changes nothing
        }
        return s;
    }

    public static Decision<NodeState> reconcile(NodeState s, Instant now) {
        return step(s, s.pending().shuttingDown() ? Decision.unchanged(s) : NodeCore.reconcile(s, now), now);
    }

    /** Every input but a heartbeat tick (whose heartbeat each kind of node makes with its own profile). */
    public static Decision<NodeState> react(NodeState s, Object input, Instant now) {
        if (input instanceof Resync) return reconcile(s, now).withEffects(List.of(new RotateLogs()));
        if (input instanceof WakeUp) {
            Decision<NodeState> d = reconcile(s, now);
            return d.withEffects(List.of(new WakeUpAt(NodeCore.nextWakeUp(d.state()).orElse(null))));
        }
        if (input instanceof ReReport) return Decision.of(s, NodeCore.statusReport(s));
        if (input instanceof Adopt a) {
            NodeState forgotten = s;
            // their placement was answered by an earlier agent process
            for (FoundContainer c : a.found()) forgotten = withCause(forgotten, c.pod(), null);
            NodeState from = forgotten;
            return step(from, Adoption.adopt(from, a.found(), now), now).then(next -> reconcile(next, now));
        }
        if (input instanceof Started st) {
            NodeState freed = launched(s, st.pod());
            return step(freed, NodeCore.started(freed, st.pod(), st.pid(), st.imageID(), st.podIP(), now), now).then(next -> reconcile(next, now));
        }
        if (input instanceof StartFailed f) {
            NodeState freed = launched(s, f.pod());
            return step(freed, Restarts.startFailed(freed, f.pod(), f.reason(), f.message(), now), now);
        }
        if (input instanceof Exited e) {
            return step(s, Restarts.exited(s, e.exit(), now), now).then(next -> reconcile(next, now));
        }
        if (input instanceof Stopped st) {
            return step(s, NodeCore.stopped(s, st.pod()), now).then(next -> reconcile(next, now));
        }
        if (input instanceof ProbeDue) return step(s, Probes.due(s, now), now);
        if (input instanceof ProbeResult pr) return step(s, Probes.result(s, pr.kind(), pr.pod(), pr.restarts(), pr.success(), pr.message(), now), now);
        if (input instanceof Shutdown) {
            Pending p = s.pending();
            NodeState stopping = s.withPending(new Pending(p.causes(), List.of(), p.launching(), p.startSlots(), true));
            return step(stopping, NodeCore.shutdown(stopping), now);
        }
        throw new IllegalArgumentException("not an input of a node: " + input);
    }

    /**
     * Takes a decision of the node core on {@code before}: its starts queue behind the free slots, its
     * status changes name the placement record they answer, and a changed earliest back-off resets the
     * shell's timer.
     */
    static Decision<NodeState> step(NodeState before, Decision<NodeState> d, Instant now) {
        NodeState s = d.state();
        Pending p = s.pending();
        List<NodeAction.StartContainer> queued = new ArrayList<>(p.queued());
        List<Object> effects = new ArrayList<>(d.effects().size());
        for (Object effect : d.effects()) {
            if (effect instanceof NodeAction.StartContainer start) queued.add(start);
            else effects.add(effect);
        }
        Set<String> launching = p.launching();
        if (!queued.isEmpty() && launching.size() < p.startSlots()) {
            Set<String> more = new HashSet<>(launching);
            while (!queued.isEmpty() && more.size() < p.startSlots()) {
                NodeAction.StartContainer start = queued.remove(0);
                more.add(start.pod());
                effects.add(start);
            }
            launching = more;
        }
        Map<String, Pending.PodCause> causes = p.causes();
        List<Outbound> outputs = d.outputs();
        if (!causes.isEmpty()) {
            Map<String, Pending.PodCause> left = new HashMap<>(causes);
            List<Outbound> caused = new ArrayList<>(outputs.size());
            for (Outbound o : outputs) caused.add(o.payload() instanceof PodStatusChanged st ? answer(o, st, left) : o);
            left.keySet().removeIf(pod -> !s.desired().containsKey(pod) && !PodContainers.hasAny(s, pod));
            if (!left.equals(causes)) causes = left;
            outputs = caused;
        }
        boolean pendingChanged = causes != p.causes() || launching != p.launching() || queued.size() != p.queued().size()
                || !queued.equals(p.queued());
        NodeState pended = pendingChanged ? s.withPending(new Pending(causes, queued, launching, p.startSlots(), p.shuttingDown())) : s;
        NodeState next = Probes.sync(pended, now);
        if (next == before && outputs.isEmpty() && effects.isEmpty()) return d; // nothing happened (most resyncs)
        Optional<Instant> wakeUp = NodeCore.nextWakeUp(next);
        if (!wakeUp.equals(NodeCore.nextWakeUp(before))) effects.add(new WakeUpAt(wakeUp.orElse(null)));
        boolean timerAsked = effects.removeIf(e -> e instanceof Probes.ProbeAt); // set from the state after the sync
        Optional<Instant> probeAt = Probes.nextDue(next);
        if (timerAsked || !probeAt.equals(Probes.nextDue(before))) effects.add(new Probes.ProbeAt(probeAt.orElse(null)));
        return new Decision<>(next, outputs, effects, d.followUp());
    }

    /**
     * A PodPlaced causes the first start (Starting, then Running or a failed start); a PodReleased
     * causes the stop (Terminating, Stopped). What happens later (exits, back-offs, restarts) is the
     * container's doing and stays spontaneous; the last answer of an episode ends it.
     */
    private static Outbound answer(Outbound o, PodStatusChanged status, Map<String, Pending.PodCause> causes) {
        Pending.PodCause pending = causes.get(status.pod());
        if (pending == null) return o;
        ContainerState state = status.state();
        boolean answersPlacement = !pending.release() && status.restartCount() == 0
                && (state == ContainerState.Starting || state == ContainerState.Running || state == ContainerState.Failed);
        boolean answersRelease = pending.release() && (state == ContainerState.Terminating || state == ContainerState.Stopped);
        if (!answersPlacement && !answersRelease) return o;
        if (state != ContainerState.Starting && state != ContainerState.Terminating) causes.remove(status.pod());
        return o.causedBy(pending.cause());
    }

    private static NodeState withCause(NodeState s, String pod, Pending.PodCause cause) {
        Pending p = s.pending();
        if (Objects.equals(p.causes().get(pod), cause)) return s;
        Map<String, Pending.PodCause> causes = new HashMap<>(p.causes());
        if (cause == null) causes.remove(pod); else causes.put(pod, cause);
        return s.withPending(new Pending(causes, p.queued(), p.launching(), p.startSlots(), p.shuttingDown()));
    }

    /** The runtime is done with {@code pod}'s start: its slot is free for the next queued one. */
    private static NodeState launched(NodeState s, String pod) {
        Pending p = s.pending();
        if (!p.launching().contains(pod)) return s;
        Set<String> launching = new HashSet<>(p.launching());
        launching.remove(pod);
        return s.withPending(new Pending(p.causes(), p.queued(), launching, p.startSlots(), p.shuttingDown()));
    }
}
