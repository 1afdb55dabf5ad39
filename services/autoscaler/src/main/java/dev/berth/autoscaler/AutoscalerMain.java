package dev.berth.autoscaler;

import dev.berth.bus.BusConfig;
import dev.berth.bus.metrics.StandaloneService;

/**
 * Runs the autoscaler alone: {@code AutoscalerMain [bootstrap-servers]} (default: BERTH_BOOTSTRAP, the local cluster,
 * 127.0.0.1:9092). Prometheus metrics on {@code :BERTH_METRICS_PORT/metrics} (default {@value #DEFAULT_METRICS_PORT};
 * -1: none).
 */
public final class AutoscalerMain {
    public static final int DEFAULT_METRICS_PORT = 9403;

    private AutoscalerMain() {}

    public static void main(String[] args) {
        BusConfig bus = BusConfig.resolve(args.length > 0 ? args[0] : null);
        StandaloneService.run("autoscaler", bus, DEFAULT_METRICS_PORT, metrics -> new AutoscalerVerticle(bus, AutoscalerOptions.defaults(), metrics));
    }
}
