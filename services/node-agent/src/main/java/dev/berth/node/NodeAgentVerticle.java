package dev.berth.node;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.LogTail;
import dev.berth.bus.Outbound;
import dev.berth.bus.Publisher;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.node.core.Adoption;
import dev.berth.node.core.ContainerExit;
import dev.berth.node.core.FoundContainer;
import dev.berth.node.core.NodeAction;
import dev.berth.node.core.NodeCore;
import dev.berth.node.core.NodeDecision;
import dev.berth.node.core.NodeState;
import dev.berth.node.core.Restarts;
import dev.berth.node.runtime.ContainerInfo;
import dev.berth.node.runtime.ContainerRuntime;
import dev.berth.node.runtime.ContainerSpec;
import dev.berth.node.runtime.ExitStatus;
import dev.berth.node.image.ImageException;
import dev.berth.node.image.ImageService;
import dev.berth.node.image.RegistryCredentials;
import dev.berth.node.runtime.LocalBusyboxImage;
import dev.berth.node.runtime.InMemoryRuntime;
import dev.berth.node.runtime.RuncRuntime;
import dev.berth.node.runtime.RunningContainer;
import java.io.IOException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's shell: follows this node's placements, feeds the node core, runs the actions it
 * decides on its {@link ContainerRuntime} (runc, on worker threads: runc calls block; or in memory in
 * tests), publishes pod status and heartbeats, and wakes up when a crashed container's back-off is
 * over. Desired state comes from the log at start and actual state from the runtime, so a restarted
 * agent adopts the containers it already runs. No record stops it: a bad placement is set aside on
 * berth.dead-letters and skipped, a start that throws is a failed start, and every pod's status is
 * reported again in full now and then, so a report lost while the broker was away heals.
 */
public final class NodeAgentVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(NodeAgentVerticle.class);

    /**
     * runc starts at once. A start is CPU-bound (~30 ms of runc, shim and kernel time here): twice the
     * cores keeps the CPUs busy while some starts wait on runc's own hand-offs; measured on 2 cores, 2 at
     * once left CPU idle, 4 and 8 did equally well. Queued starts leave threads free for stops.
     */
    public static final int START_SLOTS = 2 * Runtime.getRuntime().availableProcessors();
    /** Threads for blocking runc calls: starts, and stops that may each wait out a grace period. */
    private static final int WORKERS = 2 * START_SLOTS;

    /** Opens the runtime an agent runs its containers on; called once per start, on a worker thread. */
    @FunctionalInterface
    public interface Runtimes {
        ContainerRuntime open(NodeAgentOptions options) throws Exception;
    }

    /**
     * runc under {@code <stateDir>/runc}, bundles and logs beside it, images in the node's own store under
     * {@code <stateDir>/images} (the host's busybox loaded into it if missing); the runtime closes the store.
     */
    public static final Runtimes RUNC = options -> {
        ImageService images = images(options);
        try {
            LocalBusyboxImage.ensure(images, options.stateDir().resolve("tmp"));
        } catch (IOException | RuntimeException e) {
            images.close();
            throw e;
        }
        return runc(options, images);
    };

    private static ImageService images(NodeAgentOptions options) throws IOException {
        RegistryCredentials credentials = options.dockerConfig() == null ? RegistryCredentials.NONE
                : RegistryCredentials.load(options.dockerConfig());
        return new ImageService(options.stateDir(), ImageService.Options.defaults().withCredentials(credentials)
                .withInsecureRegistries(options.insecureRegistries()));
    }

    /** Always the same in-memory runtime: its containers outlive an agent, so the next agent adopts them. */
    public static Runtimes inMemory(InMemoryRuntime runtime) {
        return options -> runtime;
    }

    private final BusConfig bus;
    private final NodeAgentOptions options;
    private final Runtimes runtimes;
    private final String ctx;
    private final Instant startedAt = Instant.now();
    private NodeState state;
    private ContainerRuntime runtime;
    private Publisher publisher;
    private WorkerExecutor workers;
    private LogTail placements;
    private long heartbeatTimer = -1, resyncTimer = -1, statusTimer = -1, wakeUpTimer = -1;
    private boolean rotatingLogs;
    private Instant wakeUpAt;
    private long sequence;
    /** Starts waiting for a free slot, in the order the core asked for them. */
    private final ArrayDeque<NodeAction.StartContainer> queuedStarts = new ArrayDeque<>();
    private final StatusCauses causes = new StatusCauses();
    private int startsInFlight;
    private boolean stopping;
    private volatile boolean keepContainersOnStop;

    public NodeAgentVerticle(BusConfig bus, NodeAgentOptions options) {
        this(bus, options, RUNC);
    }

    public NodeAgentVerticle(BusConfig bus, NodeAgentOptions options, Runtimes runtimes) {
        this.bus = bus;
        this.options = options;
        this.runtimes = runtimes;
        this.ctx = "[node " + options.nodeName() + "]";
        this.state = NodeState.empty(options.nodeName(), options.restartBackoff());
    }

    /**
     * Makes the next undeploy behave like a crashed agent: heartbeats and placement processing end, the
     * containers keep running (a fresh agent for this node adopts them). {@code berth node stop} uses it.
     */
    public void keepContainersRunningOnStop() {
        keepContainersOnStop = true;
    }

    private record Prepared(Map<TopicPartition, Long> end, List<ContainerInfo> found) {}

    @Override
    public Future<?> start() {
        publisher = Publisher.create(vertx, bus, "node-agent/" + options.nodeName());
        workers = vertx.createSharedWorkerExecutor("berth-runc-" + options.nodeName(), WORKERS);
        return vertx.executeBlocking(this::prepare).onSuccess(prepared -> {
            adopt(prepared.found());
            placements = LogTail.follow(vertx, bus, "node-" + options.nodeName(), List.of(Topic.PLACEMENTS),
                    new LogTail.Start.FromOffsets(prepared.end()), this::onPlacements);
            heartbeatTimer = vertx.setPeriodic(0, options.heartbeatInterval().toMillis(), id -> heartbeat());
            resyncTimer = vertx.setPeriodic(options.resyncInterval().toMillis(), id -> {
                reconcile();
                rotateLogs();
            });
            statusTimer = vertx.setPeriodic(options.statusReportInterval().toMillis(), id -> reportAll());
            reconcile();
            log.info("{} ready: {} pods placed here, {} containers found from an earlier run",
                    ctx, state.desired().size(), prepared.found().size());
        });
    }

    /** Blocking start-up: topics, the runtime, desired state from the log, containers the runtime already has. */
    private Prepared prepare() throws Exception {
        TopicAdmin.ensureTopics(bus);
        runtime = runtimes.open(options);
        NodeState[] rebuilt = {state};
        Map<TopicPartition, Long> end = LogReader.readAll(bus, List.of(Topic.PLACEMENTS), r -> rebuilt[0] = fold(rebuilt[0], r));
        state = rebuilt[0];
        return new Prepared(end, runtime.containers());
    }

    private static RuncRuntime runc(NodeAgentOptions options, ImageService images) {
        Path dir = options.stateDir();
        return new RuncRuntime(dir.resolve("runc"), dir.resolve("bundles"), dir.resolve("logs"), options.cgroupParent(), images,
                options.containerLogs());
    }

    /** Containers of an earlier agent process: the core keeps what is still placed here; reconcile stops the rest. */
    private void adopt(List<ContainerInfo> found) {
        List<FoundContainer> containers = found.stream().map(PodAnnotations::found).toList();
        containers.forEach(c -> causes.forget(c.pod())); // their placement was answered by an earlier agent
        apply(Adoption.adopt(state, containers, Instant.now()));
        for (int i = 0; i < found.size(); i++) {
            ContainerInfo c = found.get(i);
            log.info("{} found container {} ({})", ctx, c.id(), c.running() ? "running, pid " + c.pid() : "exited " + c.exit().code());
            if (c.running()) watchExit(c.id(), containers.get(i).restarts(), runtime.watch(c.id(), c.pid()));
        }
    }

    /** Folds one placement record; a bad one is set aside with its reason and changes nothing. */
    private NodeState fold(NodeState s, RawRecord r) {
        try {
            PlacementInput in = PlacementInput.read(r, options.nodeName());
            if (in instanceof PlacementInput.Placed p) {
                causes.read(p.envelope());
                return NodeCore.placed(s, p.placement());
            }
            if (in instanceof PlacementInput.Released rel) {
                causes.read(rel.envelope());
                return NodeCore.released(s, rel.release());
            }
            if (in instanceof PlacementInput.Rejected bad) setAside(r, bad.reason());
            return s;
        } catch (RuntimeException e) { // never the stream's end: the record is set aside instead
            setAside(r, "processing failed: " + e);
            return s;
        }
    }

    private void setAside(RawRecord r, String reason) {
        log.warn("{} setting aside record {}: {}", ctx, r.position(), reason);
        publisher.deadLetter(r.topic(), r.partition(), r.offset(), PlacementInput.excerpt(r.value()), reason)
                .onFailure(e -> log.warn("{} cannot set aside {}: {}", ctx, r.position(), e.toString()));
    }

    private Future<?> onPlacements(List<RawRecord> batch) {
        if (stopping) return Future.succeededFuture();
        NodeState before = state;
        for (RawRecord r : batch) state = fold(state, r);
        if (state != before) reconcile();
        return Future.succeededFuture();
    }

    /** Every pod's last status again, spontaneous: heals what a broker outage lost (see {@link NodeCore#statusReport}). */
    private void reportAll() {
        if (stopping) return;
        List<Outbound> report = NodeCore.statusReport(state);
        if (report.isEmpty()) return;
        Instant now = Instant.now();
        List<Publisher.Message> messages = new ArrayList<>(report.size());
        for (Outbound out : report) messages.add(new Publisher.Message(out.topic(), out.key(), Envelope.spontaneous(out.payload(), publisher.source(), now)));
        publisher.sendAll(messages).onFailure(e -> log.debug("{} status report not sent: {}", ctx, e.toString()));
    }

    /** Caps container logs, on a worker (file copies), one pass at a time. */
    private void rotateLogs() {
        if (stopping || rotatingLogs) return;
        rotatingLogs = true;
        workers.executeBlocking(() -> {
            runtime.rotateLogs();
            return null;
        }, false).onComplete(ar -> {
            rotatingLogs = false;
            if (ar.failed()) log.warn("{} rotating container logs: {}", ctx, ar.cause().toString());
        });
    }

    private void reconcile() {
        if (!stopping) apply(NodeCore.reconcile(state, Instant.now()));
    }

    private void apply(NodeDecision decision) {
        state = decision.state();
        publish(decision.events());
        Set<String> known = new HashSet<>(state.desired().keySet());
        known.addAll(state.actual().keySet());
        causes.retainOnly(known);
        for (NodeAction action : decision.actions()) {
            if (action instanceof NodeAction.StartContainer start) startContainer(start);
            else if (action instanceof NodeAction.StopContainer stop) stopContainer(stop.pod(), stop.gracePeriodSeconds());
        }
        scheduleWakeUp();
    }

    /** One timer for the earliest back-off that ends; the core decides what is due when it fires. */
    private void scheduleWakeUp() {
        Optional<Instant> next = stopping ? Optional.empty() : NodeCore.nextWakeUp(state);
        if (next.equals(Optional.ofNullable(wakeUpAt))) return;
        if (wakeUpTimer >= 0) vertx.cancelTimer(wakeUpTimer);
        wakeUpTimer = -1;
        wakeUpAt = next.orElse(null);
        if (wakeUpAt == null) return;
        long nanos = Duration.between(Instant.now(), wakeUpAt).toNanos();
        long millis = Math.max(1, (nanos + 999_999) / 1_000_000); // never early: the core compares with now
        wakeUpTimer = vertx.setTimer(millis, id -> {
            wakeUpTimer = -1;
            wakeUpAt = null;
            reconcile();
        });
    }

    /** Each status change names the placement record it answers, if any (see {@link StatusCauses}). */
    private void publish(List<Outbound> events) {
        if (events.isEmpty()) return;
        Instant now = Instant.now();
        List<Publisher.Message> messages = new ArrayList<>(events.size());
        for (Outbound out : events) {
            Envelope cause = out.payload() instanceof PodStatusChanged status ? causes.causeOf(status) : null;
            Envelope env = cause == null
                    ? Envelope.spontaneous(out.payload(), publisher.source(), now)
                    : Envelope.causedBy(cause, out.payload(), publisher.source(), now);
            messages.add(new Publisher.Message(out.topic(), out.key(), env));
        }
        publisher.sendAll(messages).onFailure(e -> log.warn("{} cannot publish status: {}", ctx, e.toString()));
    }

    private void startContainer(NodeAction.StartContainer start) {
        queuedStarts.add(start);
        startQueued();
    }

    private void startQueued() {
        while (startsInFlight < START_SLOTS && !queuedStarts.isEmpty() && !stopping) {
            startsInFlight++;
            launch(queuedStarts.poll()).onComplete(ar -> {
                startsInFlight--;
                startQueued();
            });
        }
    }

    /** Never throws: whatever goes wrong, before the worker or on it, ends as a failed start and frees the slot. */
    private Future<RunningContainer> launch(NodeAction.StartContainer start) {
        String pod = start.pod();
        Future<RunningContainer> started;
        try {
            ContainerSpec spec = PodAnnotations.spec(start);
            started = workers.executeBlocking(() -> runtime.start(spec), false);
        } catch (RuntimeException e) {
            started = Future.failedFuture(e);
        }
        return started.onComplete(ar -> {
            if (stopping) return;
            if (ar.failed()) {
                String why = ar.cause().getMessage() != null ? ar.cause().getMessage() : ar.cause().toString();
                log.warn("{} pod {} failed to start: {}", ctx, pod, why);
                String reason = ar.cause() instanceof ImageException ie ? ie.reason() : Restarts.START_ERROR;
                apply(Restarts.startFailed(state, pod, reason, why, Instant.now()));
                return;
            }
            RunningContainer c = ar.result();
            log.info("{} pod {} running, pid {}{}", ctx, pod, c.pid(), start.restarts() > 0 ? ", restart " + start.restarts() : "");
            apply(NodeCore.started(state, pod, c.pid(), c.imageId(), Instant.now()));
            watchExit(pod, start.restarts(), c.exit());
            reconcile(); // it may have been released while starting
        });
    }

    private void watchExit(String pod, int restarts, CompletableFuture<ExitStatus> exit) {
        exit.whenComplete((status, err) -> vertx.runOnContext(v -> {
            if (stopping) return;
            if (err != null) {
                log.warn("{} lost track of pod {}: {}", ctx, pod, err.toString());
                return;
            }
            ContainerExit e = new ContainerExit(pod, restarts, status.code(), status.oomKilled());
            apply(Restarts.exited(state, e, Instant.now()));
            reconcile(); // a pod released meanwhile is removed now
        }));
    }

    private void stopContainer(String pod, int graceSeconds) {
        workers.executeBlocking(() -> {
            runtime.stop(pod, Duration.ofSeconds(graceSeconds)); // TERM, grace, KILL, then remove everything
            return null;
        }, false).onComplete(ar -> {
            if (ar.failed()) log.warn("{} stopping pod {}: {}", ctx, pod, ar.cause().toString());
            else log.info("{} pod {} stopped and removed", ctx, pod);
            apply(NodeCore.stopped(state, pod));
            reconcile();
        });
    }

    private void heartbeat() {
        try {
            var hb = NodeCore.heartbeat(state, options.capacity(), runtime.images(), sequence++, startedAt)
                    .withLabelsAndTaints(options.labels(), options.taints()).withContainerImages(runtime.containerImages());
            publisher.send(Topic.NODE_HEARTBEATS, options.nodeName(), Envelope.spontaneous(hb, publisher.source(), Instant.now()))
                    .onFailure(e -> log.debug("{} heartbeat not sent: {}", ctx, e.toString()));
        } catch (RuntimeException e) { // e.g. the image store unreadable for a moment: the next beat tries again
            log.warn("{} heartbeat failed: {}", ctx, e.toString());
        }
    }

    /**
     * Stops every container this agent runs (in parallel, each with its grace period) and cleans up; or,
     * after {@link #keepContainersRunningOnStop}, just goes away like a crashed agent.
     */
    @Override
    public Future<?> stop() {
        stopping = true;
        for (long timer : new long[] {heartbeatTimer, resyncTimer, statusTimer, wakeUpTimer}) if (timer >= 0) vertx.cancelTimer(timer);
        if (placements != null) placements.close();
        if (keepContainersOnStop) {
            log.info("{} agent stopped; its {} containers keep running", ctx, state.actual().size());
            if (runtime != null) runtime.close();
            return publisher.close().eventually(() -> workers.close());
        }
        NodeDecision shutdown = NodeCore.shutdown(state);
        state = shutdown.state();
        publish(shutdown.events());
        List<Future<?>> stops = new ArrayList<>();
        for (NodeAction action : shutdown.actions()) {
            NodeAction.StopContainer stop = (NodeAction.StopContainer) action;
            stops.add(workers.executeBlocking(() -> {
                runtime.stop(stop.pod(), Duration.ofSeconds(stop.gracePeriodSeconds()));
                return null;
            }, false).onComplete(ar -> apply(NodeCore.stopped(state, stop.pod()))));
        }
        return Future.join(stops)
                .eventually(() -> vertx.executeBlocking(() -> {
                    runtime.removeCgroupParent();
                    runtime.close();
                    return null;
                }))
                .eventually(() -> publisher.close())
                .eventually(() -> workers.close());
    }

    /**
     * Stops and removes every container of a node whose agent is not running, e.g. one stopped by
     * {@code berth node stop} when the local stack shuts down. Blocking. No grace period: like a machine
     * switched off (TERM, then {@code runc delete --force}).
     */
    public static void removeContainers(NodeAgentOptions options) {
        try (RuncRuntime runtime = runc(options, images(options))) {
            for (String id : runtime.list()) runtime.stop(id, Duration.ZERO);
            runtime.removeCgroupParent();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
