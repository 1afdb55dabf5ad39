package dev.berth.node;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.LogTail;
import dev.berth.bus.Outbound;
import dev.berth.bus.Publisher;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.node.core.NodeAction;
import dev.berth.node.core.NodeCore;
import dev.berth.node.core.NodeDecision;
import dev.berth.node.core.NodeState;
import dev.berth.node.runtime.ContainerSpec;
import dev.berth.node.runtime.ImageStore;
import dev.berth.node.runtime.RuncRuntime;
import dev.berth.node.runtime.RunningContainer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's shell: follows this node's placements, feeds {@link NodeCore}, runs the
 * actions it decides on runc (on worker threads: runc calls block), publishes pod status and
 * heartbeats. State comes from the log at start, so a restarted agent needs nothing else.
 */
public final class NodeAgentVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(NodeAgentVerticle.class);

    private final BusConfig bus;
    private final NodeAgentOptions options;
    private final String ctx;
    private final Instant startedAt = Instant.now();
    private NodeState state;
    private RuncRuntime runtime;
    private ImageStore images;
    private Publisher publisher;
    private WorkerExecutor workers;
    private LogTail placements;
    private long heartbeatTimer, resyncTimer;
    private long sequence;

    public NodeAgentVerticle(BusConfig bus, NodeAgentOptions options) {
        this.bus = bus;
        this.options = options;
        this.ctx = "[node " + options.nodeName() + "]";
        this.state = NodeState.empty(options.nodeName());
    }

    @Override
    public Future<?> start() {
        publisher = Publisher.create(vertx, bus, "node-agent/" + options.nodeName());
        workers = vertx.createSharedWorkerExecutor("berth-runc-" + options.nodeName(), 8);
        return vertx.executeBlocking(this::prepare).onSuccess(end -> {
            placements = LogTail.follow(vertx, bus, "node-" + options.nodeName(), List.of(Topic.PLACEMENTS),
                    new LogTail.Start.FromOffsets(end), this::onPlacements);
            heartbeatTimer = vertx.setPeriodic(0, options.heartbeatInterval().toMillis(), id -> heartbeat());
            resyncTimer = vertx.setPeriodic(options.resyncInterval().toMillis(), id -> reconcile());
            reconcile();
            log.info("{} ready: {} pods placed here", ctx, state.desired().size());
        });
    }

    /** Blocking start-up: topics, image store, leftovers of an earlier run, state from the log. */
    private Map<TopicPartition, Long> prepare() throws Exception {
        TopicAdmin.ensureTopics(bus);
        images = new ImageStore(options.imagesDir());
        images.ensureBusybox();
        runtime = new RuncRuntime(options.stateDir().resolve("runc"), options.stateDir().resolve("bundles"),
                options.stateDir().resolve("logs"), options.cgroupParent(), images);
        for (String leftover : runtime.list()) {
            // Containers of an earlier agent run: the reconcile below starts what is still desired.
            log.info("{} removing container {} left by an earlier run", ctx, leftover);
            runtime.stop(leftover, Duration.ZERO);
            runtime.cleanup(leftover);
        }
        NodeState[] rebuilt = {state};
        Map<TopicPartition, Long> end = LogReader.readAll(bus, List.of(Topic.PLACEMENTS), r -> rebuilt[0] = fold(rebuilt[0], r));
        state = rebuilt[0];
        return end;
    }

    private NodeState fold(NodeState s, RawRecord r) {
        if (!options.nodeName().equals(r.key())) return s;
        try {
            Envelope e = Json.decode(r.value());
            if (e.data() instanceof PodPlaced p) return NodeCore.placed(s, p);
            if (e.data() instanceof PodReleased rel) return NodeCore.released(s, rel);
        } catch (BadRecordException e) {
            log.warn("{} skipping bad record {}: {}", ctx, r.position(), e.getMessage());
            publisher.deadLetter(r.topic(), r.partition(), r.offset(), r.value(), e.getMessage());
        }
        return s;
    }

    private Future<?> onPlacements(List<RawRecord> batch) {
        NodeState before = state;
        for (RawRecord r : batch) state = fold(state, r);
        if (state != before) reconcile();
        return Future.succeededFuture();
    }

    private void reconcile() {
        apply(null, NodeCore.reconcile(state));
    }

    private void apply(Envelope cause, NodeDecision decision) {
        state = decision.state();
        publish(decision.events());
        for (NodeAction action : decision.actions()) {
            if (action instanceof NodeAction.StartContainer start) startContainer(start.pod(), start.template());
            else if (action instanceof NodeAction.StopContainer stop) stopContainer(stop.pod(), stop.gracePeriodSeconds());
        }
    }

    private void publish(List<Outbound> events) {
        publisher.publish(null, events).onFailure(e -> log.warn("{} cannot publish status: {}", ctx, e.toString()));
    }

    private void startContainer(String pod, PodTemplate template) {
        List<String> argv = new ArrayList<>(template.command());
        argv.addAll(template.args());
        ContainerSpec spec = ContainerSpec.of(pod, template.image(), argv).withEnv(template.env())
                .withLimits(template.resources().cpuMillis(), template.resources().memoryBytes());
        workers.executeBlocking(() -> runtime.start(spec), false).onComplete(ar -> {
            if (ar.failed()) {
                log.warn("{} pod {} failed to start: {}", ctx, pod, ar.cause().getMessage());
                apply(null, NodeCore.startFailed(state, pod, ar.cause().getMessage()));
                return;
            }
            RunningContainer c = ar.result();
            log.info("{} pod {} running, pid {}", ctx, pod, c.pid());
            apply(null, NodeCore.started(state, pod, c.pid()));
            c.exit().whenComplete((code, err) -> vertx.runOnContext(v ->
                    apply(null, NodeCore.exited(state, pod, code == null ? -1 : code))));
            reconcile(); // it may have been released while starting
        });
    }

    private void stopContainer(String pod, int graceSeconds) {
        workers.executeBlocking(() -> {
            runtime.stop(pod, Duration.ofSeconds(graceSeconds));
            runtime.cleanup(pod);
            return null;
        }, false).onComplete(ar -> {
            if (ar.failed()) log.warn("{} stopping pod {}: {}", ctx, pod, ar.cause().toString());
            else log.info("{} pod {} stopped and removed", ctx, pod);
            apply(null, NodeCore.stopped(state, pod));
        });
    }

    private void heartbeat() {
        var hb = NodeCore.heartbeat(state, options.capacity(), images.list(), sequence++, startedAt);
        publisher.send(Topic.NODE_HEARTBEATS, options.nodeName(), Envelope.spontaneous(hb, publisher.source(), Instant.now()))
                .onFailure(e -> log.debug("{} heartbeat not sent: {}", ctx, e.toString()));
    }

    /** Stops every container this agent runs (in parallel, each with its grace period), then cleans up. */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(heartbeatTimer);
        vertx.cancelTimer(resyncTimer);
        if (placements != null) placements.close();
        NodeDecision shutdown = NodeCore.shutdown(state);
        state = shutdown.state();
        publish(shutdown.events());
        List<Future<?>> stops = new ArrayList<>();
        for (NodeAction action : shutdown.actions()) {
            NodeAction.StopContainer stop = (NodeAction.StopContainer) action;
            stops.add(workers.executeBlocking(() -> {
                runtime.stop(stop.pod(), Duration.ofSeconds(stop.gracePeriodSeconds()));
                runtime.cleanup(stop.pod());
                return null;
            }, false).onComplete(ar -> apply(null, NodeCore.stopped(state, stop.pod()))));
        }
        return Future.join(stops)
                .eventually(() -> vertx.executeBlocking(() -> {
                    runtime.removeCgroupParent();
                    return null;
                }))
                .eventually(() -> publisher.close())
                .eventually(() -> workers.close());
    }
}
