package dev.berth.scheduler;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogTail;
import dev.berth.bus.Outbound;
import dev.berth.bus.LogReader;
import dev.berth.bus.Outbox;
import dev.berth.bus.contract.SchedulingStep;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import dev.berth.bus.TransactionalPublisher;
import dev.berth.bus.TransactionalPublisher.Publication;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
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
import dev.berth.scheduler.core.Processors;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler service's shell: rebuilds state from the log, then feeds heartbeats, pod intents,
 * node statuses and pod status to the pure {@link Processors} and publishes what they decide. Placements and
 * releases go to berth.placements keyed by node, so each node agent reads its own in order.
 * Needs no consumer group: its position always comes from the log it rebuilt from.
 */
public final class SchedulerVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(SchedulerVerticle.class);
    static final String SOURCE = "scheduler";
    /** One scheduler writes at a time: a new instance fences the previous one and aborts its unfinished batch. */
    static final String TRANSACTIONAL_ID = "berth-scheduler";

    /**
     * Heartbeats matter to the scheduler only for capacity, labels and taints, and the controller's
     * Ready/NotReady decides readiness: read them in batches of at most about twice a second, not as
     * they trickle in, so thousands of nodes do not cost a step (and a transaction) per few heartbeats.
     */
    static final Map<String, String> HEARTBEAT_CADENCE = Map.of("fetch.min.bytes", "262144", "fetch.max.wait.ms", "500");

    /** Cycles with more outputs than this are logged as one line. */
    private static final int LOGGED_DECISIONS = 20;

    private final BusConfig bus;
    private final SchedulerOptions options;
    private Processors core;
    /** Pending pods' PodCreated envelopes: a placement names its pod's creation as cause, whatever retried it. */
    private Map<String, Envelope> creations;
    /** Deletions and losses of bound pods whose release is not published yet: the release names them as cause. */
    private final Map<String, Envelope> endings = new HashMap<>();
    private TransactionalPublisher publisher;
    /** Records each step's inputs so that replay can reproduce its decisions. */
    private StepRecorder steps;
    private Map<TopicPartition, Long> heartbeatsFrom;
    private LogTail heartbeats;
    private LogTail inputs;
    private long timer = -1;
    /** Outputs reach the log in the order they were decided, in group commits. */
    private Outbox outbox;
    private volatile boolean stopping;

    public SchedulerVerticle(BusConfig bus, SchedulerOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        long begin = System.nanoTime();
        Instant heartbeatsSince = Instant.now().minus(options.heartbeatLookback());
        return vertx.executeBlocking(() -> {
            TopicAdmin.ensureTopics(bus);
            heartbeatsFrom = LogReader.offsetsAt(bus, List.of(Topic.NODE_HEARTBEATS), heartbeatsSince);
            return LogRebuild.read(bus);
        }).compose(rebuilt -> TransactionalPublisher.create(vertx, bus, TRANSACTIONAL_ID).map(tx -> {
            publisher = tx;
            outbox = new Outbox(vertx, tx, SOURCE);
            return rebuilt;
        })).map(rebuilt -> {
            Instant now = Instant.now();
            core = Processors.standard(rebuilt.state(), options.policy(), options.nodeStaleness());
            core.holdUntil(now.plus(options.warmUp()));
            creations = rebuilt.creations();
            steps = new StepRecorder(UUID.randomUUID().toString(), new SchedulingStep.Start(
                    StepRecorder.names(rebuilt.endOffsets()), StepRecorder.names(heartbeatsFrom), now.plus(options.warmUp()),
                    options.policy().name()));
            heartbeats = LogTail.follow(vertx, bus, "scheduler-heartbeats", List.of(Topic.NODE_HEARTBEATS),
                    new LogTail.Start.FromOffsets(heartbeatsFrom), HEARTBEAT_CADENCE, this::onRecords);
            inputs = LogTail.follow(vertx, bus, "scheduler-inputs", List.of(Topic.PODS, Topic.POD_STATUS, Topic.NODES),
                    new LogTail.Start.FromOffsets(rebuilt.endOffsets()), this::onRecords);
            timer = vertx.setPeriodic(options.retryInterval().toMillis(), id -> onTimer());
            log.info("[scheduler] started on {}: rebuilt from {} records ({} skipped) in {} ms: {} bound, {} pending",
                    bus.bootstrapServers(), rebuilt.records(), rebuilt.skipped(), (System.nanoTime() - begin) / 1_000_000,
                    rebuilt.state().bindings().size(), rebuilt.state().pendingCount());
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        if (timer >= 0) vertx.cancelTimer(timer);
        return vertx.executeBlocking(() -> {
            if (heartbeats != null) heartbeats.close();
            if (inputs != null) inputs.close();
            return null;
        }).compose(v -> publisher == null ? Future.succeededFuture()
                : outbox.close().transform(ignored -> publisher.close()));
    }

    /** Applies the whole batch, then runs one scheduling cycle over it: one step, one transaction. */
    private Future<?> onRecords(List<RawRecord> batch) {
        Instant now = Instant.now();
        List<Future<?>> setAside = new ArrayList<>();
        for (RawRecord r : batch) {
            steps.applied(r);
            Envelope env;
            try {
                env = Json.decode(r.value());
            } catch (BadRecordException e) {
                setAside.add(setAside(r, e.getMessage()));
                continue;
            }
            try {
                rememberCause(env);
                core.apply(env.data(), env.time(), now);
            } catch (RuntimeException e) {
                // A well-formed record the core cannot take (e.g. a heartbeat without capacity): never a poison loop.
                setAside.add(setAside(r, env.type() + " could not be processed: " + e));
            }
        }
        // Every batch is a step, even one that decided nothing: replay then applies inputs at the same moments.
        record(core.cycle(now), now, StepRecorder.BATCH);
        // The next batch is read while this one commits; it waits only if a group already waits too.
        return Future.all(outbox.room(), Future.all(setAside));
    }

    private Future<Void> setAside(RawRecord r, String reason) {
        log.warn("[scheduler record={}] set aside: {}", r.position(), reason);
        Publication letter = Publication.deadLetter(r, reason, SOURCE);
        return outbox.publish(List.of(() -> letter));
    }

    /** Keeps the envelope a later decision descends from: a pod's creation, its deletion or loss. */
    private void rememberCause(Envelope env) {
        Payload p = env.data();
        if (p instanceof PodCreated c && !core.state().isKnown(c.pod())) creations.put(c.pod(), env);
        String ended = p instanceof PodDeletionRequested d ? d.pod() : p instanceof PodLost l ? l.pod() : null;
        if (ended == null) return;
        creations.remove(ended);
        if (core.state().binding(ended) != null) endings.put(ended, env);
    }

    private void onTimer() {
        Instant now = Instant.now();
        List<Outbound> decided = core.resync(now);
        if (core.lastCycleWorked()) record(decided, now, StepRecorder.TIMER);
    }

    /**
     * Publishes a cycle's decisions with its step; when the cycle stopped at its limit, the next one
     * runs as soon as the event loop is free (other batches may go first).
     */
    private Future<Void> record(List<Outbound> decided, Instant now, String trigger) {
        List<Caused> out = new ArrayList<>(decided.size() + 1);
        for (Outbound o : decided) out.add(new Caused(causeOf(o), o));
        out.add(new Caused(null, steps.step(now, trigger, decided)));
        if (core.hasMoreToTry(now)) vertx.runOnContext(v -> continueCycles());
        return publish(out);
    }

    private void continueCycles() {
        Instant now = Instant.now();
        if (stopping || !core.hasMoreToTry(now)) return;
        List<Outbound> decided = core.cycle(now);
        if (core.lastCycleWorked()) record(decided, now, StepRecorder.CONTINUE);
    }

    /** A placement descends from the pod's creation and a release from its deletion or loss, whichever cycle decided them. */
    private Envelope causeOf(Outbound o) {
        Payload p = o.payload();
        if (p instanceof PodPlaced placed) return creations.remove(placed.pod());
        if (p instanceof PodUnschedulable u) return creations.get(u.pod());
        if (p instanceof PodReleased r) return endings.remove(r.pod());
        return null;
    }

    private record Caused(Envelope cause, Outbound out) {}

    private Future<Void> publish(List<Caused> out) {
        logDecisions(out);
        Instant now = Instant.now();
        List<Supplier<Publication>> records = new ArrayList<>(out.size());
        for (Caused c : out) {
            records.add(() -> Publication.of(c.out().topic(), c.out().key(), c.cause() == null
                    ? Envelope.spontaneous(c.out().payload(), SOURCE, now)
                    : Envelope.causedBy(c.cause(), c.out().payload(), SOURCE, now)));
        }
        return outbox.publish(records);
    }

    /** Each decision of a small cycle; a large one (a burst of pods) as one line, its decisions at debug level. */
    private static void logDecisions(List<Caused> out) {
        boolean each = out.size() <= LOGGED_DECISIONS || log.isDebugEnabled();
        int placed = 0, unschedulable = 0, released = 0;
        for (Caused c : out) {
            Payload p = c.out().payload();
            if (p instanceof PodPlaced) placed++;
            else if (p instanceof PodUnschedulable) unschedulable++;
            else if (p instanceof PodReleased) released++;
            if (each) logDecision(p);
        }
        if (!each) log.info("[scheduler] cycle: {} placed, {} unschedulable, {} released", placed, unschedulable, released);
    }

    private static void logDecision(Payload p) {
        if (p instanceof PodPlaced e) {
            log.info("[scheduler pod={} node={}] placed: {} nodes considered, filtered {}, best {}",
                    e.pod(), e.node(), e.nodesConsidered(), e.filtered(), e.topCandidates());
        } else if (p instanceof PodUnschedulable e) {
            log.info("[scheduler pod={}] unschedulable: {}", e.pod(), e.message());
        } else if (p instanceof PodReleased e) {
            log.info("[scheduler pod={} node={}] released: {}", e.pod(), e.node(), e.reason());
        }
    }
}
