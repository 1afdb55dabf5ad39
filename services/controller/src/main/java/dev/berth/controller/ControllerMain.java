package dev.berth.controller;

import dev.berth.bus.BusConfig;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the controller as its own process: {@code java dev.berth.controller.ControllerMain [bootstrap]}.
 * The broker address is the argument, else {@code BERTH_BOOTSTRAP}, else what {@code berth up} wrote,
 * else 127.0.0.1:9092 (see {@link BusConfig#resolve}). The local stack deploys
 * {@link ControllerVerticle} in-process instead.
 */
public final class ControllerMain {
    private static final Logger log = LoggerFactory.getLogger(ControllerMain.class);

    private ControllerMain() {}

    public static void main(String[] args) {
        BusConfig bus = BusConfig.resolve(args.length > 0 ? args[0] : System.getenv("BERTH_BOOTSTRAP"));
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(new ControllerVerticle(bus, ControllerOptions.defaults()))
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
