package dev.berth.bus;

import dev.berth.bus.TransactionalPublisher.Offsets;
import dev.berth.bus.TransactionalPublisher.Publication;
import dev.berth.bus.contract.Payload;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import dev.berth.bus.metrics.LoopMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every Berth service runs. One loop per service, on the service's Vert.x context, one unit of
 * work at a time:
 * <ol>
 *   <li><b>consume</b> a batch from one of the service's {@link Source}s (each a {@link LogTail});</li>
 *   <li><b>size check</b>: a record over its topic's {@link RecordLimits limit} is never decoded;</li>
 *   <li><b>decode</b> each record once ({@link Json#decode}; commands: {@link Json#decodeValidated});</li>
 *   <li><b>validate</b>: commands against their JSON Schemas, internal records with
 *       {@link Validation} and the payload types the source accepts;</li>
 *   <li><b>core</b>: {@link Core#onRecord} per record, then {@link Core#afterBatch} once: pure
 *       decisions, state + input → {@link Decision}; time enters as data ({@code now});</li>
 *   <li><b>publish and commit</b>: the unit's outputs, its dead letters and (for a transactional
 *       group source) the consumed offsets, in one Kafka transaction, or idempotently for a
 *       non-transactional service;</li>
 *   <li><b>adopt</b> the new state: at once, because from here on the unit's publication is
 *       guaranteed — retried with back-off until committed, only a fenced or stopping service gives
 *       up, and then it stops. A service killed before the commit leaves nothing of the unit on the
 *       log and redoes it from the same input after its rebuild;</li>
 *   <li>on <b>fencing</b> (a newer instance took over), the loop stops and tells the shell.</li>
 * </ol>
 * Ticks (resync, node checks), follow-ups a core asks for ({@link Decision#followUp()}) and the
 * shell's own events ({@link #submit}) are inputs like record batches: they enter the same queue,
 * with {@code now} as data, and run one at a time with everything else.
 *
 * <p>Every record gets an answer: one that is too large, undecodable, invalid, of a type its topic
 * does not carry, or whose processing throws, is set aside on berth.dead-letters ({@link DeadLetter},
 * with a bounded excerpt), its offset commits with the unit, and the stream goes on. Only an
 * unavailable broker is waited for, while the consumers keep polling with their partitions paused.
 */
public final class ServiceLoop<S> {
    private static final Logger log = LoggerFactory.getLogger(ServiceLoop.class);
    private static final long MAX_BACK_OFF_MS = 5000;
    /**
     * Idempotent mode does not wait for acks before the next unit (a node agent keeps handling its
     * containers' exits while the broker is away), up to this many units unacknowledged. The producer
     * keeps their order; a unit that fails for good is resent after later ones, which consumers of
     * such a service must tolerate (a node agent re-reports every pod's status periodically).
     */
    private static final int MAX_UNACKED_UNITS = 64;

    /** A service's pure decisions, as the loop calls them. Each may throw: the loop isolates the input. */
    public interface Core<S> {
        /** One decoded, validated record. */
        Decision<S> onRecord(S state, Received input);

        /** Once per batch, after its records (e.g. reconcile what they touched, run a scheduling cycle). */
        default Decision<S> afterBatch(S state, BatchEnd batch) { return Decision.unchanged(state); }

        /** A tick, a follow-up or an event of the shell's own. */
        default Decision<S> onInput(S state, Object input, Instant now) { return Decision.unchanged(state); }

        /**
         * A tombstone (null value) on a compacted topic: the state under {@code record.key()} is gone. Nothing by
         * default; a null value on any other topic is set aside as unreadable.
         */
        default Decision<S> onTombstone(S state, RawRecord record, Instant now) { return Decision.unchanged(state); }

        /** What answers a record that could not be read (a rejection for a bad command); nothing by default. */
        default List<Outbound> answerUnreadable(RawRecord record, BadRecordException problem) { return List.of(); }
    }

    /** A decoded, validated record and when the loop received it. */
    public record Received(RawRecord record, Envelope envelope, Instant now) {
        public Payload payload() { return envelope.data(); }
    }

    /** The end of a batch: its raw records (bad ones too), those the core took, and what it decided for them. */
    public record BatchEnd(String source, List<RawRecord> records, List<Received> received, List<Outbound> decided, Instant now) {}

    /**
     * Topics read together, from one position; {@code accepts} narrows the payload types the catalogue says they carry
     * (empty: all of them). A {@link LogTail.Start.TransactionalGroup} source commits its offsets with the outputs.
     */
    public record Source(String name, List<Topic> topics, LogTail.Start start, Map<String, String> consumerSettings,
                         Set<Class<? extends Payload>> accepts, Predicate<String> keys, Check check) {
        public Source(String name, List<Topic> topics, LogTail.Start start, Map<String, String> consumerSettings,
                      Set<Class<? extends Payload>> accepts) {
            this(name, topics, start, consumerSettings, accepts, key -> true, Check.NONE);
        }

        public Source(String name, List<Topic> topics, LogTail.Start start, Set<Class<? extends Payload>> accepts) {
            this(name, topics, start, Map.of(), accepts);
        }

        /**
         * Only records whose key passes {@code filter} are read; the rest are skipped before anything is
         * decoded (a node agent reads every node's placements and keeps only those under its own key).
         */
        public Source onlyKeys(Predicate<String> filter) {
            return new Source(name, topics, start, consumerSettings, accepts, filter, check);
        }

        /** A service's own checks of decoded, structurally valid records (part of the door, like the size check). */
        public Source checkedBy(Check more) {
            return new Source(name, topics, start, consumerSettings, accepts, keys, more);
        }

        /** This source's door: {@link ServiceLoop#admit}, then its own check. */
        public Envelope admit(RawRecord r, RecordLimits limits) throws BadRecordException {
            Envelope env = ServiceLoop.admit(r, accepts, limits);
            Optional<String> problem = check.problem(r, env);
            if (problem.isPresent()) throw new BadRecordException(problem.get(), List.of(problem.get()), env.type());
            return env;
        }
    }

    /** A record of a type its topic carries and the source does not read: skipped, never set aside. */
    public static final class NotAccepted extends BadRecordException {
        NotAccepted(String type, Topic topic) {
            super("not read here: " + type + " on " + topic.topicName(), List.of(), type);
        }
    }

    /** A source's own check of a decoded record: why it must be set aside, or empty. */
    @FunctionalInterface
    public interface Check {
        Check NONE = (r, e) -> Optional.empty();

        Optional<String> problem(RawRecord record, Envelope envelope);
    }

    private final Vertx vertx;
    private final BusConfig bus;
    private final String service;
    private final Core<S> core;
    private final Clock clock;
    private final RecordLimits limits;
    private final Consumer<List<Object>> effects;
    private final Consumer<Decision<S>> observer;
    private final Runnable onFenced;
    private final TransactionalPublisher transactional;
    private final Outbox outbox;
    private final Publisher idempotent;
    private final List<Source> sources;
    private final Map<String, LogTail> tails = new LinkedHashMap<>();
    private final List<Long> timers = new ArrayList<>();
    private final Map<Object, Boolean> queuedTicks = new HashMap<>();
    /** Volatile: tests and benchmarks on other threads read a snapshot (see {@link #state()}). */
    private volatile S state;
    private Future<?> queue = Future.succeededFuture();
    private boolean stopped;
    private int unacked;
    private Promise<Void> idempotentRoom;
    private final LoopMetrics metrics;
    private final Consumer<Received> receivedObserver;

    private ServiceLoop(Builder<S> b) {
        this.vertx = b.vertx;
        this.bus = b.bus;
        this.service = b.service;
        this.core = b.core;
        this.clock = b.clock;
        this.limits = b.limits;
        this.effects = b.effects;
        this.observer = b.observer;
        this.onFenced = b.onFenced;
        this.transactional = b.transactional;
        this.outbox = b.transactional == null ? null : new Outbox(vertx, b.transactional, b.service);
        this.idempotent = b.idempotent;
        this.sources = List.copyOf(b.sources);
        this.state = b.initial;
        this.metrics = b.metrics;
        this.receivedObserver = b.received;
    }

    public static <S> Builder<S> builder(Vertx vertx, BusConfig bus, String service, Core<S> core, S initial) {
        return new Builder<>(vertx, bus, service, core, initial);
    }

    public static final class Builder<S> {
        private final Vertx vertx;
        private final BusConfig bus;
        private final String service;
        private final Core<S> core;
        private final S initial;
        private final List<Source> sources = new ArrayList<>();
        private final List<Map.Entry<Duration, Supplier<Object>>> ticks = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private RecordLimits limits = RecordLimits.defaults();
        private Consumer<List<Object>> effects = e -> {
            if (!e.isEmpty()) throw new IllegalStateException("effects decided but the shell runs none: " + e);
        };
        private Consumer<Decision<S>> observer = d -> {};
        private Consumer<Received> received = r -> {};
        private Runnable onFenced = () -> {};
        private TransactionalPublisher transactional;
        private Publisher idempotent;
        private LoopMetrics metrics = LoopMetrics.NONE;

        private Builder(Vertx vertx, BusConfig bus, String service, Core<S> core, S initial) {
            this.vertx = vertx;
            this.bus = bus;
            this.service = service;
            this.core = core;
            this.initial = initial;
        }

        public Builder<S> source(Source source) { sources.add(source); return this; }

        /** Every {@code period}, {@code input} (made when the tick fires, e.g. with how far a source has read) enters the loop. */
        public Builder<S> every(Duration period, Supplier<Object> input) { ticks.add(Map.entry(period, input)); return this; }

        /** Records, dead letters and consumed group offsets commit in one transaction per unit (group commits). */
        public Builder<S> transactional(TransactionalPublisher publisher) { this.transactional = publisher; return this; }

        /** Records go out through an idempotent producer (no transactions; consumers must be idempotent). */
        public Builder<S> idempotent(Publisher publisher) { this.idempotent = publisher; return this; }

        public Builder<S> clock(Clock c) { this.clock = c; return this; }

        public Builder<S> limits(RecordLimits l) { this.limits = l; return this; }

        /** Runs the effects of each decision (the shell's own work), after its records were handed over. */
        public Builder<S> effects(Consumer<List<Object>> runner) { this.effects = runner; return this; }

        /** Where the loop counts records, times units and reports its sources' lag (see {@link LoopMetrics}). */
        public Builder<S> metrics(LoopMetrics m) { this.metrics = m; return this; }

        /** Sees each decision once made, e.g. to log it. */
        public Builder<S> observe(Consumer<Decision<S>> o) { this.observer = o; return this; }

        /** Sees each admitted record before the core decides on it, e.g. to time what follows from it. */
        public Builder<S> onReceived(Consumer<Received> r) { this.received = r; return this; }

        /** Called once when a newer instance fenced this one; the loop has stopped taking input. */
        public Builder<S> onFenced(Runnable r) { this.onFenced = r; return this; }

        /** Starts following every source and every tick. */
        public ServiceLoop<S> start() {
            if ((transactional == null) == (idempotent == null)) {
                throw new IllegalStateException("a service loop publishes either transactionally or idempotently");
            }
            ServiceLoop<S> loop = new ServiceLoop<>(this);
            for (Source s : sources) {
                LogTail tail = LogTail.followBatches(vertx, bus, service + "-" + s.name(), s.topics(), s.start(),
                        s.consumerSettings(), batch -> loop.onBatch(s, batch));
                loop.tails.put(s.name(), tail);
                metrics.lag(s.name(), tail::lag);
            }
            for (var tick : ticks) {
                loop.timers.add(vertx.setPeriodic(Math.max(1, tick.getKey().toMillis()), id -> loop.tick(tick.getValue())));
            }
            return loop;
        }
    }

    /** The state the loop holds now (all decisions made so far); from another thread, a recent snapshot. */
    public S state() { return state; }

    /** The time up to which {@code source}'s records have been handed over: see {@link LogTail#readUpTo()}. */
    public Instant readUpTo(String source) { return tails.get(source).readUpTo(); }

    /** An input of the shell's own (e.g. a container that exited): queued like a tick. */
    public Future<?> submit(Object input) { return enqueue(() -> runInput(input)); }

    /** Stops taking input, lets the queued units finish and their records commit, then closes consumers and producer. */
    public Future<Void> stop() {
        if (stopped && tails.isEmpty()) return Future.succeededFuture();
        stopped = true;
        timers.forEach(vertx::cancelTimer);
        timers.clear();
        List<LogTail> closing = List.copyOf(tails.values());
        tails.clear();
        return vertx.executeBlocking(() -> {
            closing.forEach(LogTail::close);
            return null;
        }).transform(v -> queue.transform(done -> Future.succeededFuture()))
                .transform(v -> outbox == null ? Future.<Void>succeededFuture() : outbox.close())
                .transform(v -> transactional != null ? transactional.close() : idempotent.close());
    }

    // ---- units of work ----

    private Future<?> onBatch(Source source, Batch batch) {
        return enqueue(() -> {
            Instant now = clock.instant();
            long started = System.nanoTime();
            Unit unit = new Unit(state, source.name());
            List<Received> received = new ArrayList<>(batch.records().size());
            for (RawRecord r : batch.records()) {
                if (!source.keys().test(r.key())) continue;
                if (r.value() == null && Topic.byName(r.topic()).compacted() && r.key() != null) {
                    try {
                        unit.take(core.onTombstone(unit.state, r, now));
                    } catch (RuntimeException e) {
                        log.warn("[{}] processing tombstone {} failed: {}", service, r.position(), e.toString(), e);
                        unit.deadLetter(r, "tombstone could not be processed: " + e);
                    }
                    continue;
                }
                Received in = read(source, r, now, unit);
                if (in == null) continue;
                receivedObserver.accept(in);
                Decision<S> d;
                try {
                    d = core.onRecord(unit.state, in);
                } catch (RuntimeException e) {
                    log.warn("[{}] processing {} failed: {}", service, r.position(), e.toString(), e);
                    unit.deadLetter(r, in.envelope().type() + " could not be processed: " + e);
                    continue;
                }
                unit.take(d);
                received.add(in);
                metrics.processed(source.name(), r.topic());
            }
            try {
                unit.take(core.afterBatch(unit.state, new BatchEnd(source.name(), batch.records(), received,
                        List.copyOf(unit.outputs), now)));
            } catch (RuntimeException e) {
                log.error("[{}] bug: deciding after a batch of {} failed: {}", service, source.name(), e.toString(), e);
            }
            metrics.decided(source.name(), Duration.ofNanos(System.nanoTime() - started));
            return emit(unit, Offsets.of(batch), now);
        });
    }

    private void tick(Supplier<Object> input) {
        if (queuedTicks.putIfAbsent(input, Boolean.TRUE) != null) return; // the last one has not run yet: one is enough
        enqueue(() -> {
            queuedTicks.remove(input);
            return runInput(input.get());
        });
    }

    private Future<?> runInput(Object input) {
        Instant now = clock.instant();
        long started = System.nanoTime();
        Unit unit = new Unit(state, "input");
        try {
            unit.take(core.onInput(unit.state, input, now));
            metrics.decided("input", Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            log.error("[{}] bug: input {} failed: {}", service, input, e.toString(), e);
            return Future.succeededFuture();
        }
        return emit(unit, null, now);
    }

    /** Runs {@code unit} after every earlier unit finished and found room: no two units interleave. */
    private Future<?> enqueue(Supplier<Future<?>> unit) {
        if (stopped) return Future.succeededFuture();
        Future<?> next = queue.transform(previous -> {
            if (stopped) return Future.succeededFuture();
            try {
                return unit.get();
            } catch (RuntimeException e) {
                log.error("[{}] bug: {}", service, e.toString(), e);
                return Future.succeededFuture();
            }
        });
        queue = next;
        return next;
    }

    /** Size check, decode, validate; a record that fails is set aside (and answered) in {@code unit}. */
    private Received read(Source source, RawRecord r, Instant now, Unit unit) {
        try {
            return new Received(r, source.admit(r, limits), now);
        } catch (NotAccepted skipped) {
            return null; // a good record of the topic this source does not read: skipped, not set aside
        } catch (BadRecordException e) {
            unit.unreadable(r, e);
            return null;
        }
    }

    /**
     * The loop's door, for everyone who must take exactly the records a loop takes (a rebuild, a
     * replay): size check, decode once, validate. Commands are checked against their JSON Schemas,
     * internal records with {@link Validation}; a payload the record's topic does not carry is set aside; one the topic
     * carries but {@code accepts} (empty: all the topic carries) leaves out throws {@link NotAccepted}, which the loop
     * skips (a good record another reader of the topic wants, e.g. PodUnhealthy beside the statuses).
     */
    public static Envelope admit(RawRecord r, Set<Class<? extends Payload>> accepts, RecordLimits limits)
            throws BadRecordException {
        Topic topic = Topic.byName(r.topic());
        int limit = limits.maxBytes(topic);
        if (r.size() > limit) {
            throw new BadRecordException("record too large: " + r.size() + " bytes, the limit on " + topic.topicName()
                    + " is " + limit + " bytes");
        }
        Envelope env = topic == Topic.COMMANDS ? decodeCommand(r.value()) : Json.decode(r.value());
        // The catalogue says what each topic carries; a source may take less of it (e.g. not the releases).
        if (!topic.carries(env.data())) {
            throw new BadRecordException("unexpected " + env.type() + " on " + topic.topicName(), List.of(), env.type());
        }
        if (!accepts.isEmpty() && !accepts.contains(env.data().getClass())) throw new NotAccepted(env.type(), topic);
        // Commands met their JSON Schemas; internal records are held to the same rules, checked on the decoded objects.
        if (topic != Topic.COMMANDS) Validation.check(env);
        if (topic.keyChecked() && !topic.keyOf(env.data()).equals(r.key())) {
            // A node writes its own records under its own key; a mismatch is a bug or another node's forgery.
            throw new BadRecordException("record key " + Excerpt.of(String.valueOf(r.key()), 80) + " is not the "
                    + topic.keyOf(env.data()) + " its " + env.type() + " names", List.of(), env.type());
        }
        return env;
    }

    /** Any failure to read a command is the sender's problem, answered like a schema violation. */
    private static Envelope decodeCommand(String value) throws BadRecordException {
        try {
            return Json.decodeValidated(value);
        } catch (RuntimeException e) {
            throw new BadRecordException("cannot read the command: " + e.getMessage());
        }
    }

    /** Adopts the unit's state, hands its records over, runs its effects and queues its follow-up. */
    private Future<?> emit(Unit unit, Offsets consumed, Instant now) {
        state = unit.state;
        if (!unit.outputs.isEmpty()) observer.accept(new Decision<>(unit.state, unit.outputs, unit.effects, unit.followUp));
        if (unit.followUp != null) submit(unit.followUp); // behind whatever input is queued already
        Future<?> handedOver = unit.outputs.isEmpty() && unit.letters.isEmpty() && consumed == null
                ? Future.succeededFuture() : publish(unit, consumed, now);
        if (!unit.effects.isEmpty()) effects.accept(unit.effects);
        return handedOver;
    }

    private Future<?> publish(Unit unit, Offsets consumed, Instant now) {
        List<Supplier<Publication>> records = new ArrayList<>(unit.outputs.size() + unit.letters.size());
        for (Outbound out : unit.outputs) records.add(() -> encode(out, now));
        for (Publication letter : unit.letters) records.add(() -> letter);
        countPublished(unit);
        long handedOver = System.nanoTime();
        if (outbox != null) {
            outbox.publish(records, consumed).onSuccess(v -> metrics.committed(Duration.ofNanos(System.nanoTime() - handedOver)))
                    .onFailure(this::failed);
            return outbox.room();
        }
        List<Publication> made = new ArrayList<>(records.size());
        for (Supplier<Publication> s : records) made.add(s.get());
        unacked++;
        sendUntilAcked(made, 1).onComplete(ar -> {
            if (ar.succeeded()) metrics.committed(Duration.ofNanos(System.nanoTime() - handedOver));
            unacked--;
            if (unacked < MAX_UNACKED_UNITS && idempotentRoom != null) {
                Promise<Void> room = idempotentRoom;
                idempotentRoom = null;
                room.complete();
            }
        });
        if (unacked < MAX_UNACKED_UNITS) return Future.succeededFuture();
        if (idempotentRoom == null) idempotentRoom = Promise.promise();
        return idempotentRoom.future();
    }

    private void countPublished(Unit unit) {
        if (unit.outputs.isEmpty()) return;
        Map<String, Integer> perTopic = new HashMap<>();
        for (Outbound out : unit.outputs) perTopic.merge(out.topic().topicName(), 1, Integer::sum);
        perTopic.forEach(metrics::published);
    }

    /** An output too large to publish would fail its transaction forever: it becomes a dead letter saying so. */
    private Publication encode(Outbound out, Instant now) {
        if (out.isTombstone()) return new Publication(out.topic().topicName(), out.key(), null);
        Publication p = Publication.of(out.topic(), out.key(), out.envelope(service, now));
        if (p.value().length() * 3L > RecordLimits.OUTPUT_BYTES) {
            int bytes = p.value().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > RecordLimits.OUTPUT_BYTES) {
                log.error("[{}] bug: a {} of {} bytes is too large to publish; set aside instead", service,
                        Payloads.typeName(out.payload()), bytes);
                return Publication.deadLetter(new RawRecord(out.topic().topicName(), -1, -1, now.toEpochMilli(), out.key(),
                        p.value(), bytes), "output too large to publish: " + bytes + " bytes", service);
            }
        }
        return p;
    }

    /** Idempotent mode: resends until acknowledged, with back-off; the idempotent producer drops what it already wrote. */
    private Future<Void> sendUntilAcked(List<Publication> records, int attempt) {
        return idempotent.publishAll(records).recover(e -> {
            if (stopped) return Future.failedFuture(e);
            long backOff = Math.min(MAX_BACK_OFF_MS, 250L << Math.min(attempt, 5));
            if (attempt == 1) log.warn("[{}] publishing {} records failed, retrying with back-off: {}", service, records.size(), e.toString());
            return vertx.timer(backOff, TimeUnit.MILLISECONDS).compose(t -> sendUntilAcked(records, attempt + 1));
        });
    }

    private void failed(Throwable e) {
        if (transactional != null && transactional.fenced() && !stopped) {
            log.error("[{}] another instance took over (fenced): this one stops", service);
            stop();
            onFenced.run();
        }
    }

    /** Whether a newer instance fenced this loop. */
    public boolean fenced() { return transactional != null && transactional.fenced(); }

    /** One unit of work: the state it builds up, what it will publish, the effects and follow-up it asks for. */
    private final class Unit {
        S state;
        final List<Outbound> outputs = new ArrayList<>();
        final List<Publication> letters = new ArrayList<>(0);
        final List<Object> effects = new ArrayList<>(0);
        Object followUp;
        final String source;

        Unit(S state, String source) {
            this.state = state;
            this.source = source;
        }

        void take(Decision<S> d) {
            state = d.state();
            outputs.addAll(d.outputs());
            effects.addAll(d.effects());
            if (d.followUp() != null) followUp = d.followUp();
        }

        void unreadable(RawRecord r, BadRecordException problem) {
            deadLetter(r, problem.getMessage());
            try {
                outputs.addAll(core.answerUnreadable(r, problem));
            } catch (RuntimeException e) {
                log.error("[{}] bug: answering unreadable {} failed: {}", service, r.position(), e.toString(), e);
            }
        }

        void deadLetter(RawRecord r, String reason) {
            log.warn("[{}] setting aside {} (key {}): {}", service, r.position(), Excerpt.of(r.key(), 80), Excerpt.of(reason, 300));
            letters.add(Publication.deadLetter(r, reason, service));
            metrics.setAside(source, r.topic());
        }
    }

    /** For tests: a promise completed once every unit queued so far has run. */
    Future<Void> drained() {
        Promise<Void> p = Promise.promise();
        enqueue(() -> {
            p.complete();
            return Future.succeededFuture();
        });
        return p.future();
    }
}
