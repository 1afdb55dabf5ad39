package dev.berth.scheduler;

import dev.berth.bus.BusConfig;
import dev.berth.bus.LogReader;
import dev.berth.bus.LogTail;
import dev.berth.bus.Outbound;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.TransactionalPublisher;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.bus.contract.SchedulingStep;
import dev.berth.bus.metrics.LoopMetrics;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.scheduler.core.Processors;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler service's shell: rebuilds state from the log, then runs {@link SchedulerCore} on a
 * {@link ServiceLoop} over heartbeats, pod intents, node statuses and pod status. Placements and
 * releases go to berth.placements keyed by node, so each node agent reads its own in order.
 * Needs no consumer group: its position always comes from the log it rebuilt from.
 */
@SuppressWarnings("unchecked")
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
    private final ServiceMetrics metrics;
    private ServiceLoop<SchedulerCore> loop;

    public SchedulerVerticle(BusConfig bus, SchedulerOptions options) {
        this(bus, options, null);
    }

    /** {@code metrics}: where to count (served by whoever runs the scheduler); null: not measured. */
    public SchedulerVerticle(BusConfig bus, SchedulerOptions options, ServiceMetrics metrics) {
        this.bus = bus;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        long begin = System.nanoTime();
        Instant heartbeatsSince = Instant.now().minus(options.heartbeatLookback());
        Map<TopicPartition, Long>[] heartbeatsFrom = new Map[1];
        return vertx.executeBlocking(() -> {
            TopicAdmin.ensureTopics(bus);
            heartbeatsFrom[0] = LogReader.offsetsAt(bus, List.of(Topic.NODE_HEARTBEATS), heartbeatsSince);
            return LogRebuild.read(bus);
        }).compose(rebuilt -> TransactionalPublisher.create(vertx, bus, TRANSACTIONAL_ID).map(tx -> {
            Instant now = Instant.now();
            Processors processors = Processors.standard(rebuilt.state(), options.policy(), options.nodeStaleness());
            processors.holdUntil(now.plus(options.warmUp()));
            StepRecorder steps = new StepRecorder(UUID.randomUUID().toString(), new SchedulingStep.Start(
                    StepRecorder.names(rebuilt.endOffsets()), StepRecorder.names(heartbeatsFrom[0]), now.plus(options.warmUp()),
                    options.policy().name()));
            SchedulerCore core = new SchedulerCore(processors, steps, rebuilt.creations());
            SchedulerMetrics own = metrics == null ? null : new SchedulerMetrics(metrics);
            loop = ServiceLoop.builder(vertx, bus, SOURCE, core, core)
                    .transactional(tx)
                    .source(new ServiceLoop.Source("heartbeats", List.of(Topic.NODE_HEARTBEATS),
                            new LogTail.Start.FromOffsets(heartbeatsFrom[0]), HEARTBEAT_CADENCE, Set.of()))
                    .source(new ServiceLoop.Source("inputs", List.of(Topic.PODS, Topic.POD_STATUS, Topic.NODES),
                            new LogTail.Start.FromOffsets(rebuilt.endOffsets()), Map.of(), Set.of()))
                    .every(options.retryInterval(), () -> new SchedulerCore.Resync())
                    .observe(d -> {
                        logDecisions(d.outputs());
                        if (own != null) own.decided(d.outputs());
                    })
                    .onReceived(in -> {
                        if (own != null) own.received(in);
                    })
                    .metrics(metrics == null ? LoopMetrics.NONE : metrics.loop())
                    .onFenced(() -> vertx.undeploy(deploymentID()))
                    .start();
            log.info("[scheduler] started on {}: rebuilt from {} records ({} skipped) in {} ms: {} bound, {} pending",
                    bus.bootstrapServers(), rebuilt.records(), rebuilt.skipped(), (System.nanoTime() - begin) / 1_000_000,
                    rebuilt.state().bindings().size(), rebuilt.state().pendingCount());
            return null;
        }));
    }

    @Override
    public Future<?> stop() {
        return loop == null ? Future.succeededFuture() : loop.stop();
    }

    /** Each decision of a small cycle; a large one (a burst of pods) as one line, its decisions at debug level. */
    private static void logDecisions(List<Outbound> out) {
        boolean each = out.size() <= LOGGED_DECISIONS || log.isDebugEnabled();
        int placed = 0, unschedulable = 0, released = 0;
        for (Outbound o : out) {
            Payload p = o.payload();
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
