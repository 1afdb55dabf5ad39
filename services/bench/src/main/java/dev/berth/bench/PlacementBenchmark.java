package dev.berth.bench;

import dev.berth.bench.EventObserver.PodTimes;
import dev.berth.bus.BusConfig;
import dev.berth.bus.contract.NodeResources;
import dev.berth.node.hollow.HollowNodes;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Part 1 and 3: N pods, sent as ApplyDeployment commands of up to 1,000 replicas each, placed by the
 * control plane (its own JVM) onto M hollow nodes (this JVM); then the control plane's heap.
 */
final class PlacementBenchmark {
    static final String MEASURED = "load-";
    static final Commands.Pod TINY = new Commands.Pod(List.of("sleep", "3600"), 10, 16L << 20, 0);
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final String HOLLOW_PREFIX = "hollow-";

    /**
     * @param nodesConsidered nodes the scheduler knew when it placed the probe pod just before the run
     * @param correlated      per step, how many of the pods' events carried their command's correlation id
     * @param cpuSeconds      CPU used during the run by the control plane's JVM and by this JVM (broker, hollow nodes, observer)
     */
    record Result(int pods, int nodes, int commands, int nodesConsidered, String incomplete, EventObserver.Counts counts,
                  double placedPerSecond, double placedEndToEndPerSecond, double runningEndToEndPerSecond,
                  Latencies.Summary toCreated, Latencies.Summary toPlaced, Latencies.Summary toRunning,
                  Map<String, Integer> correlated, int podCreatedBytes, ControlPlaneProcess.Heap heap,
                  double controlPlaneCpuSeconds, double benchCpuSeconds, double wallSeconds, Path controlPlaneLog) {}

    private PlacementBenchmark() {}

    /**
     * Whose client each part uses: the benchmark's commands and observer ({@code user}), the hollow nodes
     * ({@code nodes}), and {@link ControlPlaneMain}'s flags naming its services' client properties (empty: all
     * on the user's). Without authentication, one plain client for all.
     */
    record Principals(BusConfig user, BusConfig nodes, List<String> controlPlaneFlags) {
        static Principals all(BusConfig bus) { return new Principals(bus, bus, List.of()); }
    }

    static Result run(BusConfig bus, BenchOptions o, PrintStream progress) throws Exception {
        return run(Principals.all(bus), o, progress);
    }

    static Result run(Principals principals, BenchOptions o, PrintStream progress) throws Exception {
        BusConfig bus = principals.user();
        Vertx vertx = Vertx.vertx();
        try {
            HollowNodes hollow = new HollowNodes(principals.nodes(), new HollowNodes.Options(HOLLOW_PREFIX, o.nodes(), capacity(o), HEARTBEAT)
                    .withStatusReportInterval(o.hollowStatusReport()));
            vertx.deployVerticle(hollow).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            progress.printf("  %,d hollow nodes heartbeating every %d s%n", o.nodes(), HEARTBEAT.toSeconds());
            Path log = o.workDir().resolve("control-plane.log");
            try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(bus, o.controlPlaneJvmOptions(), controlPlaneFlags(o, principals), log);
                 EventObserver observer = EventObserver.start(bus, MEASURED);
                 Commands commands = new Commands(bus)) {
                controlPlane.awaitReady(Duration.ofMinutes(2));
                String notReady = ready(o, observer, commands);
                if (notReady != null) {
                    progress.println("  " + notReady + "; measuring the control plane's heap and moving on");
                    return failed(o, notReady, observer, controlPlane.heapAfterGc(), log);
                }
                int considered = observer.pods("probe-").get(0).nodesConsidered;
                progress.printf("  control plane ready (pid %d, log %s); a probe pod saw %,d nodes%n", controlPlane.pid(), log, considered);
                return measure(o, controlPlane, observer, commands, considered, progress);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Null once every hollow node is Ready and a probe pod was placed and Running — the scheduler is past
     * its warm-up and knows the nodes — else what the cluster did not do in time.
     */
    private static String ready(BenchOptions o, EventObserver observer, Commands commands) {
        if (o.schedulerOnly()) {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= o.nodes(); i++) names.add(HOLLOW_PREFIX + i);
            commands.markNodesReadyAsController(names);
            commands.createPodsAsController("probe", 1, TINY);
            commands.flush();
            return probed(observer);
        }
        try {
            Waits.until("all hollow nodes Ready", Duration.ofMinutes(2), () -> observer.readyNodes() >= o.nodes());
        } catch (IllegalStateException e) {
            return String.format("only %,d of %,d hollow nodes Ready after 2 min (NotReady decisions: %,d)", observer.readyNodes(), o.nodes(),
                    observer.counts().notReady());
        }
        commands.apply("probe", 1, TINY);
        commands.flush();
        return probed(observer);
    }

    private static String probed(EventObserver observer) {
        try {
            Waits.until("the probe pod to run", Duration.ofMinutes(2), () -> observer.pods("probe-").stream().anyMatch(p -> p.runningAt >= 0));
            return null;
        } catch (IllegalStateException e) {
            return "the probe pod did not run within 2 min: " + status(observer.counts(), 1);
        }
    }

    private static Result failed(BenchOptions o, String why, EventObserver observer, ControlPlaneProcess.Heap heap, Path log) {
        Latencies.Summary none = Latencies.Summary.NONE;
        int probeBytes = observer.pods("probe-").stream().mapToInt(p -> p.createdBytes).max().orElse(0);
        return new Result(o.pods(), o.nodes(), o.commands(), 0, why, observer.counts(), Double.NaN, Double.NaN, Double.NaN, none, none, none,
                Map.of("PodCreated", 0, "PodPlaced", 0, "PodStatusChanged", 0), probeBytes, heap, Double.NaN, Double.NaN, Double.NaN, log);
    }

    private static Result measure(BenchOptions o, ControlPlaneProcess controlPlane, EventObserver observer, Commands commands,
                                  int considered, PrintStream progress) {
        Duration controlPlaneCpu = controlPlane.cpuTime(), benchCpu = selfCpu();
        long t0 = System.nanoTime();
        Map<String, Commands.Sent> byDeployment = new HashMap<>();
        for (int i = 0, left = o.pods(); left > 0; i++, left -= o.podsPerCommand()) {
            String name = String.format("%s%03d", MEASURED, i);
            int replicas = Math.min(left, o.podsPerCommand());
            byDeployment.put(name, o.schedulerOnly() ? commands.createPodsAsController(name, replicas, TINY) : commands.apply(name, replicas, TINY));
        }
        commands.flush();
        progress.printf(o.schedulerOnly() ? "  wrote PodCreated for %2$,d pods%n" : "  sent %d ApplyDeployment commands for %,d pods%n",
                byDeployment.size(), o.pods());
        boolean complete = Waits.progress(() -> Math.min(observer.counts().placed(), observer.counts().running()), o.pods(),
                o.stallTimeout(), () -> status(observer.counts(), o.pods()), progress);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpCpu = seconds(controlPlane.cpuTime().minus(controlPlaneCpu));
        double ownCpu = seconds(selfCpu().minus(benchCpu));
        String incomplete = complete ? null : "stalled for " + o.stallTimeout().toSeconds() + " s at " + status(observer.counts(), o.pods())
                + (o.schedulerOnly() ? "" : rejections(observer, byDeployment));
        progress.println("  " + status(observer.counts(), o.pods()) + "; measuring the control plane's heap");
        ControlPlaneProcess.Heap heap = controlPlane.heapAfterGc();
        return summarize(o, observer, byDeployment, considered, incomplete, heap, cpCpu, ownCpu, wall, controlPlane.log());
    }

    private static Result summarize(BenchOptions o, EventObserver observer, Map<String, Commands.Sent> byDeployment, int considered,
                                    String incomplete, ControlPlaneProcess.Heap heap, double cpCpu, double ownCpu, double wall, Path log) {
        long firstCommand = byDeployment.values().stream().mapToLong(Commands.Sent::timeMicros).min().orElse(0);
        Latencies toCreated = new Latencies(), toPlaced = new Latencies(), toRunning = new Latencies();
        Map<String, Integer> correlated = new HashMap<>(Map.of("PodCreated", 0, "PodPlaced", 0, "PodStatusChanged", 0));
        long firstPlaced = Long.MAX_VALUE, lastPlaced = 0, lastRunning = 0;
        int placed = 0, running = 0;
        long createdBytes = 0;
        List<PodTimes> pods = observer.pods(MEASURED);
        for (PodTimes p : pods) {
            Commands.Sent command = byDeployment.get(p.deployment());
            if (command == null) continue;
            long sentAt = command.timeMicros();
            if (p.createdAt >= 0) {
                toCreated.record(p.createdAt * 1000 - sentAt);
                createdBytes += p.createdBytes;
                if (command.id().equals(p.createdCorrelation)) correlated.merge("PodCreated", 1, Integer::sum);
            }
            if (p.placedAt >= 0) {
                toPlaced.record(p.placedAt * 1000 - sentAt);
                placed++;
                firstPlaced = Math.min(firstPlaced, p.placedAt);
                lastPlaced = Math.max(lastPlaced, p.placedAt);
                if (command.id().equals(p.placedCorrelation)) correlated.merge("PodPlaced", 1, Integer::sum);
            }
            if (p.runningAt >= 0) {
                toRunning.record(p.runningAt * 1000 - sentAt);
                running++;
                lastRunning = Math.max(lastRunning, p.runningAt);
                if (command.id().equals(p.runningCorrelation)) correlated.merge("PodStatusChanged", 1, Integer::sum);
            }
        }
        int created = (int) toCreated.summary().count();
        return new Result(o.pods(), o.nodes(), byDeployment.size(), considered, incomplete, observer.counts(),
                rate(placed - 1, (lastPlaced - firstPlaced) / 1e3), rate(placed, (lastPlaced * 1000 - firstCommand) / 1e6),
                rate(running, (lastRunning * 1000 - firstCommand) / 1e6),
                toCreated.summary(), toPlaced.summary(), toRunning.summary(), correlated,
                created == 0 ? 0 : (int) (createdBytes / created), heap, cpCpu, ownCpu, wall, log);
    }

    private static String rejections(EventObserver observer, Map<String, Commands.Sent> byDeployment) {
        List<String> rejected = new ArrayList<>();
        int unanswered = 0;
        for (var e : byDeployment.entrySet()) {
            String result = observer.result(e.getValue().id());
            if (result == null) unanswered++;
            else if (!result.equals("accepted")) rejected.add(e.getKey() + " " + result);
        }
        return (unanswered > 0 ? "; " + unanswered + " commands unanswered" : "")
                + (rejected.isEmpty() ? "" : "; rejected: " + rejected.get(0) + (rejected.size() > 1 ? " (and " + (rejected.size() - 1) + " more)" : ""));
    }

    private static String status(EventObserver.Counts c, int pods) {
        return String.format("placed %,d/%,d, running %,d; unschedulable %d, lost %d, NotReady %d%s", c.placed(), pods, c.running(),
                c.unschedulable(), c.lost(), c.notReady(), c.lastUnschedulable() == null ? "" : " (last: " + c.lastUnschedulable() + ")");
    }

    private static List<String> controlPlaneFlags(BenchOptions o, Principals principals) {
        List<String> flags = new ArrayList<>(principals.controlPlaneFlags());
        if (o.schedulerOnly()) flags.add("scheduler-only");
        return flags;
    }

    /** Enough room on every node for the pods at twice the even share, never less than a default hollow node. */
    static NodeResources capacity(BenchOptions o) {
        long slots = Math.max(110, 2L * ((o.pods() + o.nodes() - 1) / o.nodes()));
        return new NodeResources(Math.max(4000, slots * TINY.cpuMillis()), Math.max(16L << 30, slots * TINY.memoryBytes()), (int) slots);
    }

    private static double rate(long count, double seconds) { return count <= 0 || seconds <= 0 ? Double.NaN : count / seconds; }

    private static Duration selfCpu() { return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO); }

    private static double seconds(Duration d) { return d.toNanos() / 1e9; }
}
