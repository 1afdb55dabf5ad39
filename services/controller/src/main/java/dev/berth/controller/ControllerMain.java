package dev.berth.controller;

import dev.berth.bus.BusConfig;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the controller as its own process: {@code java dev.berth.controller.ControllerMain [--service-cidr=CIDR]
 * [--service-node-port-range=MIN-MAX] [bootstrap]}.
 * The broker address is the argument, else {@code BERTH_BOOTSTRAP}, else what {@code berth up} wrote,
 * else 127.0.0.1:9092 (see {@link BusConfig#resolve}). The local stack deploys
 * {@link ControllerVerticle} in-process instead.
 */
public final class ControllerMain {
    private static final Logger log = LoggerFactory.getLogger(ControllerMain.class);

    static final String SERVICE_CIDR = "--service-cidr=";
    static final String NODE_PORT_RANGE = "--service-node-port-range=";

    private ControllerMain() {}

    public static void main(String[] args) {
        String bootstrap = System.getenv("BERTH_BOOTSTRAP");
        String serviceCidr = null, nodePorts = null;
        for (String arg : args) {
            if (arg.startsWith(SERVICE_CIDR)) serviceCidr = arg.substring(SERVICE_CIDR.length());
            else if (arg.startsWith(NODE_PORT_RANGE)) nodePorts = arg.substring(NODE_PORT_RANGE.length());
            else if (arg.startsWith("--")) throw new IllegalArgumentException("unknown flag " + arg + " (known: " + SERVICE_CIDR + ", " + NODE_PORT_RANGE + ")");
            else bootstrap = arg;
        }
        BusConfig bus = BusConfig.resolve(bootstrap);
        ControllerOptions options = ControllerOptions.defaults().withServices(serviceCidr, nodePorts);
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(new ControllerVerticle(bus, options))
                .onSuccess(id -> log.info("[controller] running against {}", bus.bootstrapServers()))
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
