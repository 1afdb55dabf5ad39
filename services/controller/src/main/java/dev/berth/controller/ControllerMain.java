package dev.berth.controller;

import dev.berth.bus.BusConfig;
import dev.berth.bus.metrics.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the controller as its own process: {@code java dev.berth.controller.ControllerMain [--service-cidr=CIDR]
 * [--service-node-port-range=MIN-MAX] [--metrics-port=N] [bootstrap]}; Prometheus metrics on
 * {@code http://0.0.0.0:N/metrics} (default {@value #DEFAULT_METRICS_PORT}; -1: none).
 * The broker address is the argument, else {@code BERTH_BOOTSTRAP}, else what {@code berth up} wrote,
 * else 127.0.0.1:9092 (see {@link BusConfig#resolve}). The local stack deploys
 * {@link ControllerVerticle} in-process instead.
 */
public final class ControllerMain {
    private static final Logger log = LoggerFactory.getLogger(ControllerMain.class);

    static final String SERVICE_CIDR = "--service-cidr=";
    static final String NODE_PORT_RANGE = "--service-node-port-range=";
    static final String METRICS_PORT = "--metrics-port=";
    public static final int DEFAULT_METRICS_PORT = 9401;

    private ControllerMain() {}

    public static void main(String[] args) {
        String bootstrap = System.getenv("BERTH_BOOTSTRAP");
        String serviceCidr = null, nodePorts = null;
        int metricsPort = DEFAULT_METRICS_PORT;
        for (String arg : args) {
            if (arg.startsWith(SERVICE_CIDR)) serviceCidr = arg.substring(SERVICE_CIDR.length());
            else if (arg.startsWith(NODE_PORT_RANGE)) nodePorts = arg.substring(NODE_PORT_RANGE.length());
            else if (arg.startsWith(METRICS_PORT)) metricsPort = Integer.parseInt(arg.substring(METRICS_PORT.length()));
            else if (arg.startsWith("--")) throw new IllegalArgumentException("unknown flag " + arg + " (known: " + SERVICE_CIDR + ", "
                    + NODE_PORT_RANGE + ", " + METRICS_PORT + ")");
            else bootstrap = arg;
        }
        BusConfig bus = BusConfig.resolve(bootstrap);
        ControllerOptions options = ControllerOptions.defaults().withServices(serviceCidr, nodePorts);
        Vertx vertx = Vertx.vertx();
        ServiceMetrics metrics = ServiceMetrics.of("controller");
        int port = metricsPort;
        vertx.deployVerticle(new ControllerVerticle(bus, options, metrics))
                .compose(id -> port < 0 ? Future.succeededFuture(-1) : metrics.serve(vertx, "0.0.0.0", port))
                .onSuccess(p -> log.info("[controller] running against {}{}", bus.bootstrapServers(), p < 0 ? "" : ", metrics on :" + p + "/metrics"))
                .onFailure(e -> {
                    log.error("[controller] cannot start against {}: {}", bus.bootstrapServers(), e.getMessage(), e);
                    vertx.close();
                    System.exit(1);
                });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("[controller] did not stop cleanly: {}", e.toString());
            }
        }, "berth-controller-shutdown"));
    }
}
