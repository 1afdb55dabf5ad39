package dev.berth.scheduler;

import dev.berth.bus.BusConfig;
import dev.berth.bus.metrics.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scheduler alone: {@code SchedulerMain [bootstrap-servers]} (default: BERTH_BOOTSTRAP, the local cluster,
 * 127.0.0.1:9092); {@code BERTH_SCHEDULING_POLICY=binpack} packs pods instead of spreading them. Prometheus metrics on
 * {@code :BERTH_METRICS_PORT/metrics} (default {@value #DEFAULT_METRICS_PORT}; -1: none).
 */
public final class SchedulerMain {
    private static final Logger log = LoggerFactory.getLogger(SchedulerMain.class);

    public static final int DEFAULT_METRICS_PORT = 9402;

    private SchedulerMain() {}

    public static void main(String[] args) {
        BusConfig bus = BusConfig.resolve(args.length > 0 ? args[0] : null);
        Vertx vertx = Vertx.vertx();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("[scheduler] unclean shutdown: {}", e.toString());
            }
        }, "berth-scheduler-shutdown"));
        String portSetting = System.getenv("BERTH_METRICS_PORT");
        int port = portSetting == null ? DEFAULT_METRICS_PORT : Integer.parseInt(portSetting);
        ServiceMetrics metrics = ServiceMetrics.of("scheduler");
        vertx.deployVerticle(new SchedulerVerticle(bus, SchedulerOptions.fromEnvironment(System.getenv()), metrics))
                .compose(id -> port < 0 ? Future.succeededFuture(-1) : metrics.serve(vertx, "0.0.0.0", port))
                .onSuccess(p -> log.info("[scheduler] running against {}{}", bus.bootstrapServers(), p < 0 ? "" : ", metrics on :" + p + "/metrics"))
                .onFailure(e -> {
            log.error("[scheduler] cannot start on {}: {}", bus.bootstrapServers(), e.getMessage(), e);
            System.exit(1);
        });
    }
}
