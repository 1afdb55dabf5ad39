package dev.berth.autoscaler;

import dev.berth.bus.BusConfig;
import dev.berth.bus.metrics.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the autoscaler alone: {@code AutoscalerMain [bootstrap-servers]} (default: BERTH_BOOTSTRAP, the local cluster,
 * 127.0.0.1:9092). Prometheus metrics on {@code :BERTH_METRICS_PORT/metrics} (default {@value #DEFAULT_METRICS_PORT};
 * -1: none).
 */
public final class AutoscalerMain {
    private static final Logger log = LoggerFactory.getLogger(AutoscalerMain.class);

    public static final int DEFAULT_METRICS_PORT = 9403;

    private AutoscalerMain() {}

    public static void main(String[] args) {
        BusConfig bus = BusConfig.resolve(args.length > 0 ? args[0] : null);
        Vertx vertx = Vertx.vertx();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("[autoscaler] unclean shutdown: {}", e.toString());
            }
        }, "berth-autoscaler-shutdown"));
        String portSetting = System.getenv("BERTH_METRICS_PORT");
        int port = portSetting == null ? DEFAULT_METRICS_PORT : Integer.parseInt(portSetting);
        ServiceMetrics metrics = ServiceMetrics.of("autoscaler");
        vertx.deployVerticle(new AutoscalerVerticle(bus, AutoscalerOptions.defaults(), metrics))
                .compose(id -> port < 0 ? Future.succeededFuture(-1) : metrics.serve(vertx, "0.0.0.0", port))
                .onSuccess(p -> log.info("[autoscaler] running against {}{}", bus.bootstrapServers(), p < 0 ? "" : ", metrics on :" + p + "/metrics"))
                .onFailure(e -> {
                    log.error("[autoscaler] cannot start on {}: {}", bus.bootstrapServers(), e.getMessage(), e);
                    System.exit(1);
                });
    }
}
