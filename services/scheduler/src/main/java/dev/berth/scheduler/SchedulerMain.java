package dev.berth.scheduler;

import dev.berth.bus.BusConfig;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scheduler alone: {@code SchedulerMain [bootstrap-servers]} (default: BERTH_BOOTSTRAP, the local cluster,
 * 127.0.0.1:9092); {@code BERTH_SCHEDULING_POLICY=binpack} packs pods instead of spreading them.
 */
public final class SchedulerMain {
    private static final Logger log = LoggerFactory.getLogger(SchedulerMain.class);

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
        vertx.deployVerticle(new SchedulerVerticle(bus, SchedulerOptions.fromEnvironment(System.getenv()))).onFailure(e -> {
            log.error("[scheduler] cannot start on {}: {}", bus.bootstrapServers(), e.getMessage(), e);
            System.exit(1);
        });
    }
}
