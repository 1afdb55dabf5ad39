package dev.berth.autoscaler;

import dev.berth.autoscaler.core.AutoscalerCore;
import dev.berth.autoscaler.core.AutoscalerState;
import dev.berth.bus.BusConfig;
import dev.berth.bus.LogTail;
import dev.berth.bus.Outbound;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.TransactionalPublisher;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.metrics.LoopMetrics;
import dev.berth.bus.metrics.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler service's shell: rebuilds its state from the log ({@link AutoscalerRebuild}), then runs
 * {@link AutoscalerCore} on a {@link ServiceLoop} over autoscalers, Deployments, pods and their status, and the
 * metrics node agents and proxies publish, with a tick every sync period. Scales go to berth.commands as a user's
 * {@code berth scale} would, statuses to berth.autoscaler-status. Needs no consumer group: its position always comes
 * from the log it rebuilt from.
 */
public final class AutoscalerVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(AutoscalerVerticle.class);
    static final String SOURCE = "autoscaler";
    /** One autoscaler writes at a time: a new instance fences the previous one and aborts its unfinished batch. */
    static final String TRANSACTIONAL_ID = "berth-autoscaler";

    /**
     * Metrics arrive from every node every few seconds and matter only as the latest sample per pod: read them in
     * batches of about twice a second, so thousands of nodes do not cost an evaluation per record.
     */
    static final Map<String, String> METRICS_CADENCE = Map.of("fetch.min.bytes", "262144", "fetch.max.wait.ms", "500");

    private final BusConfig bus;
    private final AutoscalerOptions options;
    private final ServiceMetrics metrics;
    private ServiceLoop<AutoscalerState> loop;

    public AutoscalerVerticle(BusConfig bus, AutoscalerOptions options) {
        this(bus, options, null);
    }

    /** {@code metrics}: where to count (served by whoever runs the autoscaler); null: not measured. */
    public AutoscalerVerticle(BusConfig bus, AutoscalerOptions options, ServiceMetrics metrics) {
        this.bus = bus;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        long begin = System.nanoTime();
        Instant metricsSince = Instant.now().minus(options.metricsLookback());
        return vertx.executeBlocking(() -> {
            TopicAdmin.ensureTopics(bus);
            return AutoscalerRebuild.read(bus, metricsSince);
        }).compose(rebuilt -> TransactionalPublisher.create(vertx, bus, TRANSACTIONAL_ID).map(tx -> {
            AutoscalerCore core = new AutoscalerCore(options.settings());
            AutoscalerMetrics own = metrics == null ? null : new AutoscalerMetrics(metrics);
            loop = ServiceLoop.builder(vertx, bus, SOURCE, core, rebuilt.state())
                    .transactional(tx)
                    .source(new ServiceLoop.Source("state", AutoscalerRebuild.STATE, new LogTail.Start.FromOffsets(rebuilt.stateFrom()),
                            Map.of(), Set.of()))
                    .source(new ServiceLoop.Source("metrics", AutoscalerRebuild.METRICS,
                            new LogTail.Start.FromOffsets(rebuilt.metricsFrom()), METRICS_CADENCE, Set.of()))
                    .every(options.syncPeriod(), AutoscalerCore.Tick::new)
                    .observe(d -> {
                        logDecisions(d.outputs());
                        if (own != null) own.decided(d);
                    })
                    .metrics(metrics == null ? LoopMetrics.NONE : metrics.loop())
                    .onFenced(() -> vertx.undeploy(deploymentID()))
                    .start();
            log.info("[autoscaler] started on {}: rebuilt from {} records ({} skipped) in {} ms: {} autoscalers, {} pods",
                    bus.bootstrapServers(), rebuilt.records(), rebuilt.skipped(), (System.nanoTime() - begin) / 1_000_000,
                    rebuilt.state().autoscalers().size(), rebuilt.state().pods().size());
            return null;
        }));
    }

    @Override
    public Future<?> stop() {
        return loop == null ? Future.succeededFuture() : loop.stop();
    }

    /** Each scale with its reason; a status when its replicas or conditions say something new (at debug level otherwise). */
    private static void logDecisions(List<Outbound> out) {
        for (Outbound o : out) {
            if (o.payload() instanceof ScaleDeployment s) {
                log.info("[autoscaler deployment={}] scale to {}: {}", s.target(), s.replicas(), s.reason());
            } else if (o.payload() instanceof HorizontalPodAutoscalerStatus s && log.isDebugEnabled()) {
                log.debug("[autoscaler hpa={}] status: {}/{} replicas, {}", s.key(), s.currentReplicas(), s.desiredReplicas(), s.reason());
            }
        }
    }
}
