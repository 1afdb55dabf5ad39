package dev.berth.bench;

import dev.berth.autoscaler.AutoscalerOptions;
import dev.berth.autoscaler.AutoscalerVerticle;
import dev.berth.bus.BusConfig;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerVerticle;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The control plane as the benchmark runs it: controller and scheduler with default options in one
 * JVM of their own (as {@code berth up} hosts them), so its heap holds nothing else; with the argument
 * {@code scheduler-only}, the scheduler alone; with {@code with-autoscaler}, also the autoscaler (default options,
 * its /metrics on a free port of 127.0.0.1, announced as {@code autoscaler-metrics <port>} before ready). Talks to the
 * benchmark over stdin/stdout: prints {@code ready} once all run; answers {@code heap} with
 * {@code heap <used> <committed> <max>} in bytes after a full GC; {@code stop} (or end of input) ends it.
 * {@code controller-client=FILE}, {@code scheduler-client=FILE}: that service's Kafka client properties (its own
 * principal on an authenticated broker), else plain text.
 */
public final class ControlPlaneMain {
    private ControlPlaneMain() {}

    public static void main(String[] args) throws Exception {
        BusConfig bus = new BusConfig(args[0]);
        Vertx vertx = Vertx.vertx();
        java.util.List<String> flags = java.util.Arrays.asList(args).subList(1, args.length);
        boolean schedulerOnly = flags.contains("scheduler-only");
        if (!schedulerOnly) await(vertx.deployVerticle(new ControllerVerticle(clientOf("controller", flags, bus), ControllerOptions.defaults())).toCompletionStage());
        await(vertx.deployVerticle(new SchedulerVerticle(clientOf("scheduler", flags, bus), SchedulerOptions.defaults())).toCompletionStage());
        if (flags.contains("with-autoscaler")) {
            ServiceMetrics metrics = ServiceMetrics.of("autoscaler");
            await(vertx.deployVerticle(new AutoscalerVerticle(bus, AutoscalerOptions.defaults(), metrics)).toCompletionStage());
            System.out.println("autoscaler-metrics " + await(metrics.serve(vertx, "127.0.0.1", 0).toCompletionStage()));
        }
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.trim().equals("stop"); line = in.readLine()) {
            if (line.trim().equals("heap")) System.out.println(heapAfterGc());
        }
        try {
            await(vertx.close().toCompletionStage());
        } finally {
            System.exit(0);
        }
    }

    /** The client of {@code service}: its {@code SERVICE-client=FILE} flag's properties on the same broker, else {@code plain}. */
    private static BusConfig clientOf(String service, java.util.List<String> flags, BusConfig plain) {
        String prefix = service + "-client=";
        for (String f : flags) {
            if (f.startsWith(prefix)) return new BusConfig(plain.bootstrapServers(), BusConfig.load(java.nio.file.Path.of(f.substring(prefix.length()))));
        }
        return plain;
    }

    private static String heapAfterGc() throws InterruptedException {
        // Two collections: the first may only finish what concurrent marking started.
        System.gc();
        Thread.sleep(200);
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return "heap " + heap.getUsed() + " " + heap.getCommitted() + " " + heap.getMax();
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
