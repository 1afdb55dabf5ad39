package dev.berth.controller;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Batch;
import dev.berth.bus.LogTail;
import dev.berth.bus.TransactionalPublisher;
import dev.berth.bus.TransactionalPublisher.Publication;
import dev.berth.bus.Outbound;
import dev.berth.bus.Payloads;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.CordonNode;
import dev.berth.bus.contract.DrainNode;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.UncordonNode;
import dev.berth.controller.core.BadCommands;
import dev.berth.controller.core.CommandProcessors;
import dev.berth.controller.core.ControllerState;
import dev.berth.controller.core.EventAppliers;
import dev.berth.controller.core.NodeLifecycle;
import dev.berth.controller.core.NodeTimeouts;
import dev.berth.controller.core.Outputs;
import dev.berth.controller.core.ReconcileScope;
import dev.berth.controller.core.Reconciler;
import dev.berth.controller.core.Step;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's shell: rebuilds state from the log, follows commands, placements, pod statuses
 * and heartbeats, lets the core decide, publishes the decisions and only then keeps the new state.
 * A timer feeds the time to node lifecycle ({@link NodeLifecycle}) four times per heartbeat interval.
 *
 * <p>All work runs one unit at a time on this verticle's context (see {@link #serially}): a unit
 * computes a new state from the current one, publishes, and commits the state when every record is
 * acknowledged. A failed publish keeps the old state, and the batch is delivered again.
 */
public final class ControllerVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ControllerVerticle.class);

    public static final String SOURCE = "controller";
    public static final String COMMAND_GROUP = "berth-controller";
    /** One controller writes at a time: a new instance fences the previous one's transactions. */
    public static final String TRANSACTIONAL_ID = "berth-controller";
    /** Heartbeats come every second: ten seconds back finds every live node and its images. */
    static final Duration HEARTBEAT_LOOKBACK = Duration.ofSeconds(10);

    private final BusConfig bus;
    private final ControllerOptions options;

    private ControllerState state = ControllerState.empty();
    /** Per deployment, the envelope of its latest event: pod events it leads to carry its correlation. */
    private Map<String, Envelope> deploymentCauses = Map.of();
    private TransactionalPublisher publisher;
    private final List<LogTail> tails = new ArrayList<>();
    private long resyncTimer = -1;
    private boolean resyncQueued;
    private long nodeCheckTimer = -1;
    private boolean nodeCheckQueued;
    private NodeTimeouts nodeTimeouts;
    private LogTail heartbeatTail;
    private Future<?> queue = Future.succeededFuture();

    public ControllerVerticle(BusConfig bus, ControllerOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        Instant heartbeatsSince = Instant.now().minus(HEARTBEAT_LOOKBACK);
        return vertx.executeBlocking(() -> {
            TopicAdmin.ensureTopics(bus);
            return StateRebuild.run(bus, heartbeatsSince);
        }).compose(rebuilt -> {
            state = rebuilt.state();
            deploymentCauses = rebuilt.deploymentCauses();
            log.info("[controller] rebuilt from {} records ({} unreadable): {} deployments, {} pods, {} nodes, images {}",
                    rebuilt.records(), rebuilt.unreadable(), state.deployments().size(), state.pods().size(),
                    state.nodes().size(), state.knownImages());
            return TransactionalPublisher.create(vertx, bus, TRANSACTIONAL_ID).map(tx -> {
                publisher = tx;
                return rebuilt;
            });
        }).compose(rebuilt -> {
            // Silence is counted from now at the earliest: see NodeTimeouts#watchingSince.
            nodeTimeouts = new NodeTimeouts(options.nodeGracePeriod(), options.podEvictionDelay(), Instant.now());
            heartbeatTail = LogTail.follow(vertx, bus, "controller-heartbeats", List.of(Topic.NODE_HEARTBEATS),
                    new LogTail.Start.FromOffsets(rebuilt.heartbeatsFrom()), this::onHeartbeats);
            tails.add(heartbeatTail);
            tails.add(LogTail.follow(vertx, bus, "controller-pod-reports", StateRebuild.POD_REPORTS,
                    new LogTail.Start.FromOffsets(rebuilt.podReportsFrom()), this::onPodReports));
            // Commands are consumed exactly once: their offsets commit in the transaction of their effects.
            tails.add(LogTail.followBatches(vertx, bus, "controller-commands", List.of(Topic.COMMANDS),
                    new LogTail.Start.TransactionalGroup(COMMAND_GROUP), this::onCommands));
            resyncTimer = vertx.setPeriodic(options.resyncInterval().toMillis(), id -> resync());
            nodeCheckTimer = vertx.setPeriodic(Math.max(1, options.nodeCheckInterval().toMillis()), id -> checkNodes());
            // Pods may be missing or extra after a crash: close the gap before anything else arrives.
            return serially(() -> reconcileAndPublish(new Work(), ReconcileScope.EVERYTHING, "start")).recover(e -> {
                log.warn("[controller] first reconcile failed, the resync will retry: {}", e.toString());
                return Future.succeededFuture();
            });
        }).recover(e -> {
            log.error("[controller] cannot start: {}", e.toString());
            return stop().transform(ignored -> Future.failedFuture(e));
        });
    }

    @Override
    public Future<?> stop() {
        if (resyncTimer >= 0) vertx.cancelTimer(resyncTimer);
        if (nodeCheckTimer >= 0) vertx.cancelTimer(nodeCheckTimer);
        List<LogTail> closing = List.copyOf(tails);
        tails.clear();
        return vertx.executeBlocking(() -> {
            closing.forEach(LogTail::close);
            return null;
        }).transform(ignored -> queue.transform(done -> Future.succeededFuture()))
                .compose(ignored -> publisher == null ? Future.succeededFuture() : publisher.close());
    }

    // ---- inputs ----

    private Future<?> onCommands(Batch batch) {
        return serially(() -> {
            Work work = new Work();
            work.consumed = batch;
            for (RawRecord record : batch.records()) work.command(record);
            return reconcileAndPublish(work, ReconcileScope.of(work.decided), "commands");
        });
    }

    /** Pod statuses from nodes and placements from the scheduler: what runs, and where. */
    private Future<?> onPodReports(List<RawRecord> batch) {
        return serially(() -> {
            Work work = new Work();
            List<Envelope> reports = new ArrayList<>(batch.size());
            List<Event> events = new ArrayList<>(batch.size());
            for (RawRecord record : batch) {
                Envelope env = work.decodeInternal(record);
                if (env == null) continue;
                if (env.data() instanceof PodStatusChanged || env.data() instanceof PodPlaced) {
                    reports.add(env);
                    events.add((Event) env.data());
                } else if (!(env.data() instanceof PodReleased)) {
                    work.deadLetter(record, "unexpected " + env.type() + " on " + record.topic());
                }
            }
            work.state = EventAppliers.fold(work.state, reports);
            return reconcileAndPublish(work, ReconcileScope.of(events), "pod reports");
        });
    }

    /** Heartbeats only refresh nodes and images; they change no pod, so no reconcile follows. */
    private Future<?> onHeartbeats(List<RawRecord> batch) {
        return serially(() -> {
            Work work = new Work();
            List<Envelope> heartbeats = new ArrayList<>(batch.size());
            for (RawRecord record : batch) {
                Envelope env = work.decodeInternal(record);
                if (env == null) continue;
                if (env.data() instanceof NodeHeartbeat) {
                    heartbeats.add(env);
                } else {
                    work.deadLetter(record, "unexpected " + env.type() + " on " + record.topic());
                }
            }
            work.state = EventAppliers.fold(work.state, heartbeats);
            return commit(work);
        });
    }

    /** Node timeouts: NotReady, pods lost, Ready again; replacements for lost pods in the same unit. */
    private void checkNodes() {
        if (nodeCheckQueued) return;
        nodeCheckQueued = true;
        serially(() -> {
            nodeCheckQueued = false;
            Work work = new Work();
            // Silence is measured up to the heartbeats read so far: a controller that fell behind on
            // them (a CPU-starved start, a burst of work) must not take unread heartbeats for silence.
            Instant heardUpTo = heartbeatTail.readUpTo();
            Instant now = heardUpTo.isBefore(work.now) ? heardUpTo : work.now;
            Step step = NodeLifecycle.check(work.state, now, nodeTimeouts);
            if (step.outputs().isEmpty()) return Future.succeededFuture();
            work.state = step.state();
            List<Event> events = new ArrayList<>(step.outputs().size());
            for (Outbound out : step.outputs()) {
                work.send(out, null);
                events.add((Event) out.payload());
                logNodeEvent(out.payload());
            }
            return reconcileAndPublish(work, ReconcileScope.of(events), "node status change");
        }).onFailure(e -> log.warn("[controller] node check failed, the next tick retries: {}", e.toString()));
    }

    private void resync() {
        if (resyncQueued) return; // the previous one has not even started: no need for two
        resyncQueued = true;
        serially(() -> {
            resyncQueued = false;
            return reconcileAndPublish(new Work(), ReconcileScope.EVERYTHING, "resync");
        }).onFailure(e -> log.warn("[controller] resync failed, next one in {}: {}", options.resyncInterval(), e.toString()));
    }

    // ---- deciding and publishing ----

    /** Reconciles what the unit's input touched ({@code scope}), then publishes the unit. */
    private Future<Void> reconcileAndPublish(Work work, ReconcileScope scope, String after) {
        Step step = Reconciler.reconcile(work.state, scope, Instant.now());
        work.state = step.state();
        long created = step.outputs().stream().filter(o -> o.payload() instanceof PodCreated).count();
        long deleted = step.outputs().size() - created;
        if (!step.outputs().isEmpty()) log.info("[controller] reconcile after {}: {} pods to create, {} to delete", after, created, deleted);
        for (Outbound out : step.outputs()) {
            String deployment = Outputs.deploymentOf(out.payload());
            work.send(out, deploymentCauses(work).get(deployment));
            if (log.isDebugEnabled()) log.debug("[controller deployment={} pod={}] {}", deployment, out.key(), describe(out));
        }
        Future<Void> committed = commit(work);
        ReconcileScope unfinished = Reconciler.unfinished(step, scope);
        if (unfinished != null) committed.onSuccess(v -> continueReconcile(unfinished));
        return committed;
    }

    /**
     * The decision stopped at its creation burst: the rest comes in a unit of its own, queued behind
     * whatever input arrived meanwhile, so heartbeats keep being folded during a large apply.
     */
    private void continueReconcile(ReconcileScope rest) {
        serially(() -> reconcileAndPublish(new Work(), rest, "a creation burst"))
                .onFailure(e -> log.warn("[controller] continuing a reconcile failed, the resync will: {}", e.toString()));
    }

    private Map<String, Envelope> deploymentCauses(Work work) { return work.causes != null ? work.causes : deploymentCauses; }

    /**
     * Publishes everything the unit decided in one Kafka transaction (with the offsets of the
     * commands it consumed); keeps the unit's state only once the transaction committed. A
     * controller killed mid-unit leaves nothing of it: the next one redoes it from the same input.
     */
    private Future<Void> commit(Work work) {
        List<Publication> records = new ArrayList<>(work.sends.size() + work.deadLetters.size());
        for (Work.Send s : work.sends) records.add(Publication.of(s.topic(), s.key(), s.envelope()));
        records.addAll(work.deadLetters);
        return publisher.commit(records, work.consumed).onFailure(e -> {
            if (publisher.fenced()) {
                log.error("[controller] another controller took over (fenced): this one stops");
                vertx.undeploy(deploymentID());
            }
        }).onSuccess(v -> {
            state = work.state;
            if (work.causes != null) deploymentCauses = Map.copyOf(work.causes);
        }).mapEmpty();
    }

    /** Runs {@code unit} after every earlier unit finished, so no two units interleave around a publish. */
    private <T> Future<T> serially(Supplier<Future<T>> unit) {
        Future<T> next = queue.transform(previous -> {
            try {
                return unit.get();
            } catch (RuntimeException e) {
                log.error("[controller] bug: {}", e.toString(), e);
                return Future.failedFuture(e);
            }
        });
        queue = next;
        return next;
    }

    private static String describe(Outbound out) {
        if (out.payload() instanceof PodDeletionRequested d) return "deletion requested: " + d.reason();
        if (out.payload() instanceof PodCreated c) return "created for generation " + c.generation();
        return Payloads.typeName(out.payload());
    }

    /** UUIDs shortened like git hashes; positions of unreadable records stay whole. */
    private static String shortId(String id) { return id.length() == 36 ? id.substring(0, 8) : id; }

    /** One unit of work: the state it builds up and everything it will publish. */
    private final class Work {
        record Send(Topic topic, String key, Envelope envelope) {}

        ControllerState state = ControllerVerticle.this.state;
        /** Copy-on-first-write of the deployment causes. */
        Map<String, Envelope> causes;
        final List<Send> sends = new ArrayList<>();
        /** Events the unit's commands decided: where the reconcile looks after them. */
        final List<Event> decided = new ArrayList<>();
        final List<Publication> deadLetters = new ArrayList<>();
        /** The command batch this unit consumes, committed with its effects; null for other units. */
        Batch consumed;
        final Instant now = Instant.now();

        void command(RawRecord record) {
            Envelope command;
            try {
                command = decodeCommand(record);
            } catch (BadRecordException e) {
                CommandRejected rejection = BadCommands.rejection(record, e);
                log.info("[controller deployment={} cmd={}] rejected unreadable command at {}: {} {}", record.key(),
                        shortId(rejection.commandId()), record.position(), rejection.reason(), rejection.problems());
                Envelope env = new Envelope(UUID.randomUUID().toString(), Payloads.typeName(rejection),
                        Payloads.version(rejection), now, SOURCE, rejection.commandId(), null, rejection);
                sends.add(new Send(Topic.COMMAND_RESULTS, rejection.commandId(), env));
                return;
            }
            Step step = CommandProcessors.process(state, command, now);
            state = step.state();
            for (Outbound out : step.outputs()) {
                Envelope sent = send(out, command);
                if (out.payload() instanceof Event e) decided.add(e);
                if (isDeploymentEvent(out.payload())) {
                    if (causes == null) causes = new HashMap<>(deploymentCauses);
                    causes.put(Outputs.deploymentOf(out.payload()), sent);
                }
                logResult(command, out.payload());
            }
        }

        /** Any failure to read a command is the sender's problem, answered like a schema violation. */
        private Envelope decodeCommand(RawRecord record) throws BadRecordException {
            try {
                return Json.decodeValidated(record.value());
            } catch (RuntimeException e) {
                throw new BadRecordException("cannot read the command: " + e.getMessage());
            }
        }

        Envelope send(Outbound out, Envelope cause) {
            Envelope env = cause == null
                    ? Envelope.spontaneous(out.payload(), SOURCE, now)
                    : Envelope.causedBy(cause, out.payload(), SOURCE, now);
            sends.add(new Send(out.topic(), out.key(), env));
            return env;
        }

        /** Decodes a record written by a Berth service; an unreadable one is set aside, not fatal. */
        Envelope decodeInternal(RawRecord record) {
            try {
                return Json.decode(record.value());
            } catch (BadRecordException | RuntimeException e) {
                deadLetter(record, e.getMessage());
                return null;
            }
        }

        void deadLetter(RawRecord record, String reason) {
            log.warn("[controller] setting aside {} (key {}): {}", record.position(), record.key(), reason);
            deadLetters.add(Publication.deadLetter(record, reason, SOURCE));
        }
    }

    private static boolean isDeploymentEvent(Object payload) {
        return payload instanceof DeploymentApplied || payload instanceof DeploymentScaled || payload instanceof DeploymentDeleted;
    }

    private static void logNodeEvent(Object payload) {
        if (payload instanceof NodeStatusChanged s) {
            log.info("[controller node={}] {}{}: {}", s.node(), s.condition(), s.cordoned() ? ",cordoned" : "", s.reason());
        } else if (payload instanceof PodLost l) {
            log.info("[controller node={} pod={}] lost: {}", l.node(), l.pod(), l.reason());
        }
    }

    private static void logResult(Envelope command, Object payload) {
        String target = command.data() instanceof Command c ? c.target() : null;
        Object data = command.data();
        String kind = data instanceof CordonNode || data instanceof UncordonNode || data instanceof DrainNode ? "node" : "deployment";
        String prefix = "[controller " + kind + "=" + target + " cmd=" + shortId(command.id()) + "]";
        if (payload instanceof CommandAccepted a) log.info("{} accepted: {}", prefix, a.message());
        else if (payload instanceof CommandRejected r) log.info("{} rejected: {} {}", prefix, r.reason(), r.problems());
        else if (log.isDebugEnabled()) log.debug("{} {}", prefix, payload.getClass().getSimpleName());
    }
}
