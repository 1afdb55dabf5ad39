package dev.berth.controller;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Decision;
import dev.berth.bus.LogTail;
import dev.berth.bus.Outbound;
import dev.berth.bus.Payloads;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.TransactionalPublisher;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.controller.core.ControllerCore;
import dev.berth.controller.core.ControllerState;
import dev.berth.controller.core.NodeTimeouts;
import dev.berth.controller.core.Outputs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's shell: rebuilds state from the log, then runs {@link ControllerCore} on a
 * {@link ServiceLoop} (see there for how every service runs). What is its own: the sources it
 * follows (commands in a transactional group, pod reports and heartbeats from where the rebuild
 * stopped), its two ticks (resync, node check) and what it logs.
 */
public final class ControllerVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ControllerVerticle.class);

    public static final String SOURCE = "controller";
    public static final String COMMAND_GROUP = "berth-controller";
    /** One controller writes at a time: a new instance fences the previous one's transactions. */
    public static final String TRANSACTIONAL_ID = "berth-controller";
    /** Heartbeats come every second: ten seconds back finds every live node and its images. */
    static final Duration HEARTBEAT_LOOKBACK = Duration.ofSeconds(10);
    /** How often deployments still rolling out are looked at again: minReadySeconds and deadlines pass with no input. */
    static final Duration ROLLOUT_CHECK = Duration.ofSeconds(1);

    private final BusConfig bus;
    private final ControllerOptions options;
    private final ServiceMetrics metrics;
    private ServiceLoop<ControllerState> loop;
    private long sampling = -1;

    public ControllerVerticle(BusConfig bus, ControllerOptions options) {
        this(bus, options, null);
    }

    /** {@code metrics}: where to count (served by whoever runs the controller); null: not measured. */
    public ControllerVerticle(BusConfig bus, ControllerOptions options, ServiceMetrics metrics) {
        this.bus = bus;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        Instant heartbeatsSince = Instant.now().minus(HEARTBEAT_LOOKBACK);
        return vertx.executeBlocking(() -> {
            TopicAdmin.ensureTopics(bus);
            return StateRebuild.run(bus, heartbeatsSince, options.emptyState());
        }).compose(rebuilt -> {
            ControllerState state = rebuilt.state();
            log.info("[controller] rebuilt from {} records ({} unreadable): {} deployments, {} pods, {} nodes, {} services, images {}",
                    rebuilt.records(), rebuilt.unreadable(), state.deployments().size(), state.pods().size(),
                    state.nodes().size(), state.services().size(), state.knownImages());
            return TransactionalPublisher.create(vertx, bus, TRANSACTIONAL_ID).map(tx -> {
                ControllerMetrics own = metrics == null ? null : new ControllerMetrics(metrics);
                // Silence is counted from now at the earliest: see NodeTimeouts#watchingSince.
                NodeTimeouts timeouts = new NodeTimeouts(options.nodeGracePeriod(), options.podEvictionDelay(), Instant.now());
                loop = ServiceLoop.builder(vertx, bus, SOURCE, new ControllerCore(timeouts, options.podCidrs()), state)
                        .transactional(tx)
                        // Commands are consumed exactly once: their offsets commit in the transaction of their effects.
                        .source(new ServiceLoop.Source(ControllerCore.COMMANDS, List.of(Topic.COMMANDS),
                                new LogTail.Start.TransactionalGroup(COMMAND_GROUP), Set.of()))
                        .source(new ServiceLoop.Source(ControllerCore.POD_REPORTS, StateRebuild.POD_REPORTS,
                                new LogTail.Start.FromOffsets(rebuilt.podReportsFrom()),
                                Set.of(PodStatusChanged.class, PodPlaced.class, PodReleased.class)))
                        .source(new ServiceLoop.Source(ControllerCore.HEARTBEATS, List.of(Topic.NODE_HEARTBEATS),
                                new LogTail.Start.FromOffsets(rebuilt.heartbeatsFrom()), Set.of(NodeHeartbeat.class)))
                        .every(options.resyncInterval(), () -> new ControllerCore.Resync())
                        .every(options.nodeCheckInterval(), this::nodeCheck)
                        .every(ROLLOUT_CHECK, () -> new ControllerCore.RolloutCheck())
                        .observe(d -> {
                            logDecision(d);
                            if (own != null) own.observe(d);
                        })
                        .metrics(metrics == null ? dev.berth.bus.metrics.LoopMetrics.NONE : metrics.loop())
                        .onFenced(() -> vertx.undeploy(deploymentID()))
                        .start();
                // Pods may be missing or extra after a crash: close the gap before anything else arrives.
                loop.submit(new ControllerCore.Resync());
                if (own != null) sampling = vertx.setPeriodic(2000, id -> own.sample(loop.state()));
                return null;
            });
        }).recover(e -> {
            log.error("[controller] cannot start: {}", e.toString());
            return stop().transform(ignored -> Future.failedFuture(e));
        });
    }

    @Override
    public Future<?> stop() {
        if (sampling >= 0) vertx.cancelTimer(sampling);
        return loop == null ? Future.succeededFuture() : loop.stop();
    }

    /** The loop's state, for tests on the verticle's context. */
    ControllerState state() { return loop.state(); }

    private static void logDecision(Decision<ControllerState> decision) {
        long created = 0, deleted = 0;
        for (Outbound out : decision.outputs()) {
            dev.berth.bus.contract.Payload p = out.payload();
            if (p instanceof PodCreated) created++;
            else if (p instanceof PodDeletionRequested) deleted++;
            else if (p instanceof CommandAccepted a) log.info("[controller {}={} cmd={}] accepted: {}", kind(a.commandType()), a.target(), shortId(a.commandId()), a.message());
            else if (p instanceof CommandRejected r) log.info("[controller {}={} cmd={}] rejected: {} {}", kind(r.commandType()), r.target(), shortId(r.commandId()), r.reason(), r.problems());
            else if (p instanceof NodeStatusChanged s) log.info("[controller node={}] {}{}: {}", s.node(), s.condition(), s.cordoned() ? ",cordoned" : "", s.reason());
            else if (p instanceof dev.berth.bus.contract.DeploymentStatusChanged s) logStatus(s);
            else if (p instanceof dev.berth.bus.contract.PodIntruderFound i) log.warn("[controller node={} pod={}] intruder: {}; the node is told to stop it", i.node(), i.pod(), i.reason());
            else if (p instanceof PodLost l) log.info("[controller node={} pod={}] lost: {}", l.node(), l.pod(), l.reason());
            else if (p == null) log.info("[controller service={}] endpoints removed (tombstone)", out.key());
            if (log.isDebugEnabled()) log.debug("[controller deployment={} key={}] {}", Outputs.deploymentOf(p), out.key(), p == null ? "tombstone" : Payloads.typeName(p));
        }
        if (created + deleted > 0) log.info("[controller] reconcile: {} pods to create, {} to delete", created, deleted);
    }

    /** A rollout's progress, one line per published status. */
    private static void logStatus(dev.berth.bus.contract.DeploymentStatusChanged s) {
        var progressing = s.condition(dev.berth.bus.contract.DeploymentCondition.PROGRESSING);
        log.info("[controller deployment={} revision={}] {} updated, {} ready, {} available of {} pods: {}", s.key(), s.revision(),
                s.updatedReplicas(), s.readyReplicas(), s.availableReplicas(), s.replicas(),
                progressing == null ? "-" : progressing.reason() + " " + progressing.message());
    }

    private static String kind(String commandType) {
        if (commandType != null && commandType.endsWith("Namespace")) return "namespace";
        if (commandType != null && commandType.endsWith("Service")) return "service";
        return commandType != null && commandType.endsWith("Node") ? "node" : "deployment";
    }

    /** UUIDs shortened like git hashes; positions of unreadable records stay whole. */
    private static String shortId(String id) { return id != null && id.length() == 36 ? id.substring(0, 8) : id; }

    /** How far heartbeats were read at the last check, and when reading last resumed after a blind spell. */
    private Instant lastHeardUpTo;
    private Instant readingResumed;

    /** The node check's input: facts about the heartbeat reader, measured here, judged by the core. */
    private ControllerCore.NodeCheck nodeCheck() {
        Instant upTo = loop.readUpTo(ControllerCore.HEARTBEATS);
        if (lastHeardUpTo != null && Duration.between(lastHeardUpTo, upTo).compareTo(options.nodeGracePeriod()) > 0) {
            readingResumed = upTo;
        }
        lastHeardUpTo = upTo;
        return new ControllerCore.NodeCheck(upTo, readingResumed);
    }
}
