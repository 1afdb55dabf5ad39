package dev.berth.bench;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bench.EventObserver.PodTimes;
import dev.berth.bus.BusConfig;
import dev.berth.bus.contract.NodeResources;
import dev.berth.node.NodeAgentOptions;
import dev.berth.node.NodeAgentVerticle;
import dev.berth.node.runtime.ImageStore;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Part 4: a burst of K pods on one real node agent (runc, cgroups) — apply → Running per pod — and,
 * in the same run, raw {@code runc run} of the same image and bundle shape. Its own fresh broker
 * and control plane, so the node is alone and the pods have nowhere else to go. Every container is
 * stopped and removed at the end.
 */
final class RuncStartBenchmark {
    static final String MEASURED = "burst-";
    static final long MEMORY = 16L << 20;
    /** Pods started one at a time before the burst, for the latency of a pod that waits for nothing. */
    static final int SINGLES = 5;

    /**
     * {@code skipped} says why nothing was measured; {@code incomplete} why the burst did not finish;
     * {@code single}: pods applied one at a time, each alone on the node; {@code burst}: {@code pods} applied at once.
     */
    record Result(String skipped, int pods, int cpuMillis, StartSteps.Summaries single, StartSteps.Summaries burst, RawRunc.Result raw,
                  String incomplete, Path controlPlaneLog) {
        static Result skipped(String why) {
            return new Result(why, 0, 0, StartSteps.Summaries.NONE, StartSteps.Summaries.NONE, null, null, null);
        }

        Result withRaw(RawRunc.Result r) { return new Result(skipped, pods, cpuMillis, single, burst, r, incomplete, controlPlaneLog); }
    }

    private RuncStartBenchmark() {}

    /** Null when this machine can run containers, else why not. */
    static String unavailable() {
        if (Boolean.getBoolean("berth.skipRunc")) return "skipped (-Dberth.skipRunc=true)";
        try {
            if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) return "skipped: needs root";
        } catch (Exception e) {
            return "skipped: cannot tell the user id (" + e.getMessage() + ")";
        }
        boolean runc = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "runc")));
        return runc ? null : "skipped: runc not found on PATH";
    }

    static Result run(BenchOptions o, PrintStream progress) throws Exception {
        String why = o.burst() == 0 ? "skipped (--burst 0)" : unavailable();
        if (why != null) return Result.skipped(why);
        Path dir = Files.createTempDirectory("berth-bench-runc-");
        try {
            ImageStore images = new ImageStore(dir.resolve("images"));
            try {
                images.ensureBusybox();
            } catch (Exception e) {
                return Result.skipped("skipped: no busybox image (" + e.getMessage() + ")");
            }
            Result burst = burst(o, dir, progress);
            progress.printf("  raw runc: %d runs one at a time, then a burst of %d, %d at a time%n", o.rawRuncRuns(), o.burst(), RawRunc.AGENT_WORKERS);
            return burst.withRaw(RawRunc.measure(images, dir.resolve("raw"), o.rawRuncRuns(), o.burst(), o.burstCpuMillis(), MEMORY));
        } finally {
            deleteRecursively(dir);
        }
    }

    private static Result burst(BenchOptions o, Path dir, PrintStream progress) throws Exception {
        String node = "bench-runc-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        NodeResources host = NodeAgentOptions.hostCapacity();
        // Room for the burst and the probe whatever the host's size: this measures start latency, not packing.
        NodeAgentOptions options = NodeAgentOptions.local(node, dir.resolve("state"), dir.resolve("images")).withCapacity(new NodeResources(
                Math.max(host.cpuMillis(), (o.burst() + 1L) * o.burstCpuMillis()), host.memoryBytes(), Math.max(host.pods(), o.burst() + 1)));
        Commands.Pod pod = new Commands.Pod(List.of("sleep", "3600"), o.burstCpuMillis(), MEMORY, 0);
        Path log = o.workDir().resolve("control-plane-runc.log");
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            BusConfig bus = new BusConfig(kafka.bootstrapServers());
            BenchTopics.create(bus);
            Vertx vertx = Vertx.vertx();
            try {
                vertx.deployVerticle(new NodeAgentVerticle(bus, options, NodeAgentVerticle.RUNC, dev.berth.node.PodNetworkSetup.NONE)).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
                try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(bus, o.controlPlaneJvmOptions(), false, log);
                     EventObserver observer = EventObserver.start(bus, MEASURED);
                     Commands commands = new Commands(bus)) {
                    controlPlane.awaitReady(Duration.ofMinutes(2));
                    Waits.until("node " + node + " Ready", Duration.ofMinutes(1), () -> observer.readyNodes() >= 1);
                    startAndStop("probe", commands, observer, pod, new StartSteps());
                    StartSteps single = new StartSteps();
                    for (int i = 0; i < SINGLES; i++) startAndStop("single-" + i, commands, observer, pod, single);
                    progress.printf("  node %s ready; applying %d pods at once%n", node, o.burst());
                    Commands.Sent sent = commands.apply("burst", o.burst(), pod);
                    commands.flush();
                    boolean started = Waits.progress(() -> observer.counts().running(), o.burst(), o.stallTimeout(),
                            () -> "running " + observer.counts().running() + "/" + o.burst(), progress);
                    Waits.sleep(500); // the observer may read a pod's Running before its PodPlaced (other topics)
                    StartSteps burst = new StartSteps();
                    for (PodTimes p : observer.pods(MEASURED)) burst.add(p, sent);
                    progress.printf("  Running carrying its command's correlation id: burst %s, one at a time %s (the rest matched by pod name)%n",
                            burst.correlated(), single.correlated());
                    commands.delete("burst");
                    commands.flush();
                    Waits.progress(() -> observer.counts().stopped(), observer.counts().running(), o.stallTimeout(),
                            () -> "stopped " + observer.counts().stopped() + "/" + observer.counts().running(), progress);
                    String incomplete = started ? null : "only " + observer.counts().running() + " of " + o.burst() + " pods ran";
                    return new Result(null, o.burst(), o.burstCpuMillis(), single.summaries(), burst.summaries(), null, incomplete, log);
                }
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS); // the agent stops what still runs
                NodeAgentVerticle.removeContainers(options); // and anything it could not
            }
        }
    }

    /**
     * Applies a deployment of one pod, waits until it runs (and every step of it was read), adds it to
     * {@code steps}, deletes it and waits until it stopped. The first such pod (the probe) also gets the
     * scheduler past its warm-up.
     */
    private static void startAndStop(String deployment, Commands commands, EventObserver observer, Commands.Pod pod, StartSteps steps) {
        Commands.Sent sent = commands.apply(deployment, 1, pod);
        commands.flush();
        String prefix = deployment + "-";
        Waits.until(deployment + " to run", Duration.ofMinutes(1), () -> observer.pods(prefix).stream()
                .anyMatch(p -> p.runningAt >= 0 && p.startingAt >= 0 && p.placedAt >= 0 && p.createdAt >= 0));
        steps.add(observer.pods(prefix).get(0), sent);
        commands.delete(deployment);
        commands.flush();
        Waits.until(deployment + " to stop", Duration.ofMinutes(1), () -> observer.pods(prefix).stream().anyMatch(p -> p.stoppedAt >= 0));
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
