package dev.berth.scheduler;

import dev.berth.bus.BusConfig;
import dev.berth.bus.metrics.StandaloneService;

/**
 * Runs the scheduler alone: {@code SchedulerMain [bootstrap-servers]} (default: BERTH_BOOTSTRAP, the local cluster,
 * 127.0.0.1:9092); {@code BERTH_SCHEDULING_POLICY=binpack} packs pods instead of spreading them. Prometheus metrics on
 * {@code :BERTH_METRICS_PORT/metrics} (default {@value #DEFAULT_METRICS_PORT}; -1: none).
 */
public final class SchedulerMain {
    public static final int DEFAULT_METRICS_PORT = 9402;

    private SchedulerMain() {}

    public static void main(String[] args) {
        BusConfig bus = BusConfig.resolve(args.length > 0 ? args[0] : null);
        SchedulerOptions options = SchedulerOptions.fromEnvironment(System.getenv());
        StandaloneService.run("scheduler", bus, DEFAULT_METRICS_PORT, metrics -> new SchedulerVerticle(bus, options, metrics));
    }
}
