package dev.berth.controller.core;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.Cause;
import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.ServiceLoop.BatchEnd;
import dev.berth.bus.ServiceLoop.Received;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodIntruderFound;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The controller's whole core as the {@link ServiceLoop} runs it, pure:
 * <ul>
 *   <li>a command: {@link CommandProcessors}; an unreadable one: a rejection ({@link BadCommands});</li>
 *   <li>a placement or pod status: applied; a heartbeat: applied at the time the controller received
 *       it, never a time the node claims (a node's clock takes no part in its liveness);</li>
 *   <li>after each batch of commands or pod reports: a reconcile of what they touched, then of the
 *       Endpoints of every Service ({@link EndpointsReconciler}: only changed records are published);</li>
 *   <li>ticks: the periodic {@link Resync} (which re-publishes every Endpoints record) and the {@link NodeCheck} (node lifecycle, then a
 *       reconcile of what it changed); a reconcile that stopped at its creation burst asks for a
 *       {@link ContinueReconcile}, which the loop queues behind the input that arrived meanwhile.</li>
 * </ul>
 */
public final class ControllerCore implements ServiceLoop.Core<ControllerState> {
    /** Source names, as the shell registers them. */
    public static final String COMMANDS = "commands";
    public static final String POD_REPORTS = "pod-reports";
    public static final String HEARTBEATS = "heartbeats";

    /** The periodic safety net: reconcile everything. */
    public record Resync() {}

    /**
     * A node-lifecycle check. {@code heardUpTo} is how far the heartbeat source has read (see
     * {@code LogTail#readUpTo}): silence is measured up to there, so a controller that fell behind
     * on heartbeats does not take unread ones for silence. {@code readingResumed} is when the source
     * last caught up again after it could not read for longer than the grace period (the broker was
     * away, the controller starved); null if never. Like a restart, that blindness gives every node a
     * fresh grace period from there: nodes whose heartbeats were held up behind the outage are not
     * taken for dead in the seconds their producers need to reconnect.
     */
    public record NodeCheck(Instant heardUpTo, Instant readingResumed) {
        public NodeCheck(Instant heardUpTo) { this(heardUpTo, null); }
    }

    /**
     * A look at the deployments still rolling out ({@link ReconcileScope#rollingOut}): time alone makes a pod
     * available (minReadySeconds) or a rollout time out, with no input to say so. Nothing to do when none rolls out.
     */
    public record RolloutCheck() {}

    /** The rest of a reconcile that stopped at {@link Reconciler#MAX_CREATIONS}. */
    public record ContinueReconcile(ReconcileScope rest) {}

    private final NodeTimeouts timeouts;
    private final PodCidrAllocator podCidrs;

    /** With the default cluster CIDR (10.244.0.0/16, a /24 per node). */
    public ControllerCore(NodeTimeouts timeouts) { this(timeouts, PodCidrAllocator.defaults()); }

    /** {@code podCidrs}: the empty allocator of the cluster CIDR nodes get their pod CIDRs from; null: none allocated. */
    public ControllerCore(NodeTimeouts timeouts, PodCidrAllocator podCidrs) {
        this.timeouts = timeouts;
        this.podCidrs = podCidrs;
    }

    @Override
    public Decision<ControllerState> onRecord(ControllerState state, Received in) {
        if (in.record().topic().equals(Topic.COMMANDS.topicName())) return CommandProcessors.process(state, in.envelope(), in.now());
        if (in.payload() instanceof NodeHeartbeat hb) return Decision.unchanged(EventAppliers.apply(state, hb, in.now()));
        if (in.payload() instanceof PodStatusChanged || in.payload() instanceof PodPlaced) {
            Event report = (Event) in.payload();
            ControllerState next = EventAppliers.apply(state, report, in.envelope().time());
            Optional<PodIntruderFound> intruder = Intruders.check(state, report);
            if (intruder.isEmpty()) return Decision.unchanged(next);
            return Decision.of(EventAppliers.apply(next, intruder.get(), in.now()), List.of(Outputs.route(intruder.get())));
        }
        return Decision.unchanged(state); // releases: the scheduler's business
    }

    /** Commands and pod reports may have put deployments out of line: reconcile what they touched. Heartbeats change no pod. */
    @Override
    public Decision<ControllerState> afterBatch(ControllerState state, BatchEnd batch) {
        if (HEARTBEATS.equals(batch.source())) return Decision.unchanged(state);
        List<Event> touched = new ArrayList<>(batch.received().size() + batch.decided().size());
        for (Received r : batch.received()) {
            if (r.payload() instanceof PodStatusChanged || r.payload() instanceof PodPlaced) touched.add((Event) r.payload());
        }
        for (Outbound out : batch.decided()) {
            if (out.payload() instanceof Event e) touched.add(e);
        }
        if (touched.isEmpty()) return Decision.unchanged(state);
        return reconcile(state, ReconcileScope.of(touched, state), batch.now()).then(ControllerCore::endpoints);
    }

    /** Endpoints that pod reports, Services or the reconcile just changed; nothing to compare without Services. */
    static Decision<ControllerState> endpoints(ControllerState state) {
        if (state.services().isEmpty() && state.publishedEndpoints().isEmpty()) return Decision.unchanged(state);
        return EndpointsReconciler.reconcile(state);
    }

    @Override
    public Decision<ControllerState> onInput(ControllerState state, Object input, Instant now) {
        if (input instanceof Resync) return reconcile(state, ReconcileScope.EVERYTHING, now).then(EndpointsReconciler::resync);
        if (input instanceof ContinueReconcile c) return reconcile(state, c.rest(), now).then(ControllerCore::endpoints);
        if (input instanceof NodeCheck check) return checkNodes(state, check, now);
        if (input instanceof RolloutCheck) {
            ReconcileScope rolling = ReconcileScope.rollingOut(state);
            return rolling.isEmpty() ? Decision.unchanged(state) : reconcile(state, rolling, now).then(ControllerCore::endpoints);
        }
        throw new IllegalArgumentException("not a controller input: " + input);
    }

    /** Node timeouts: NotReady, pods lost, Ready again; replacements for lost pods in the same decision. */
    Decision<ControllerState> checkNodes(ControllerState state, NodeCheck check, Instant now) {
        Instant upTo = check.heardUpTo() != null && check.heardUpTo().isBefore(now) ? check.heardUpTo() : now;
        NodeTimeouts t = check.readingResumed() != null && check.readingResumed().isAfter(timeouts.watchingSince())
                ? new NodeTimeouts(timeouts.gracePeriod(), timeouts.evictionDelay(), check.readingResumed()) : timeouts;
        Decision<ControllerState> changed = NodeLifecycle.check(state, upTo, t, podCidrs);
        if (changed.outputs().isEmpty()) return changed;
        List<Event> events = changed.outputs().stream().map(o -> (Event) o.payload()).toList(); // node lifecycle publishes no tombstones
        return changed.then(s -> reconcile(s, ReconcileScope.of(events), now)).then(ControllerCore::endpoints);
    }

    static Decision<ControllerState> reconcile(ControllerState state, ReconcileScope scope, Instant now) {
        Decision<ControllerState> reconciled = Reconciler.reconcile(state, scope, now);
        ReconcileScope unfinished = Reconciler.unfinished(reconciled, scope);
        return unfinished == null ? reconciled : reconciled.withFollowUp(new ContinueReconcile(unfinished));
    }

    /** A record of berth.commands that is not a readable command gets a short rejection; other unreadable records, none. */
    @Override
    public List<Outbound> answerUnreadable(RawRecord record, BadRecordException problem) {
        if (!record.topic().equals(Topic.COMMANDS.topicName())) return List.of();
        CommandRejected rejection = BadCommands.rejection(record, problem);
        return List.of(Outputs.route(rejection).causedBy(Cause.answering(rejection.commandId())));
    }
}
