package dev.berth.bus.metrics;

import dev.berth.bus.BusConfig;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service's own main does: one Vert.x, a shutdown hook that closes it, the service's verticle deployed
 * against the broker, its Prometheus /metrics on {@code :BERTH_METRICS_PORT} (a default per service; -1: none), and
 * exit 1 when it cannot start.
 */
public final class StandaloneService {
    private static final Logger log = LoggerFactory.getLogger(StandaloneService.class);

    /** The environment variable with the /metrics port. */
    public static final String METRICS_PORT_VARIABLE = "BERTH_METRICS_PORT";

    private StandaloneService() {}

    /** Runs {@code service} until the process ends; {@code verticle} is given the service's metrics to count into. */
    public static void run(String service, BusConfig bus, int defaultMetricsPort, Function<ServiceMetrics, Deployable> verticle) {
        Vertx vertx = Vertx.vertx();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("[{}] unclean shutdown: {}", service, e.toString());
            }
        }, "berth-" + service + "-shutdown"));
        String portSetting = System.getenv(METRICS_PORT_VARIABLE);
        int port = portSetting == null ? defaultMetricsPort : Integer.parseInt(portSetting);
        ServiceMetrics metrics = ServiceMetrics.of(service);
        vertx.deployVerticle(verticle.apply(metrics))
                .compose(id -> port < 0 ? Future.succeededFuture(-1) : metrics.serve(vertx, "0.0.0.0", port))
                .onSuccess(p -> log.info("[{}] running against {}{}", service, bus.bootstrapServers(), p < 0 ? "" : ", metrics on :" + p + "/metrics"))
                .onFailure(e -> {
                    log.error("[{}] cannot start on {}: {}", service, bus.bootstrapServers(), e.getMessage(), e);
                    System.exit(1);
                });
    }
}
