package dev.berth.bench;

import dev.berth.broker.EmbeddedKafka;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Json;
import dev.berth.node.hollow.HollowNodes;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth-bench metrics} (issue 12): what resource metrics cost at scale. N pods on M hollow nodes, placed by the
 * controller and scheduler in their own JVM, which also runs the autoscaler with an HPA on some Deployments; then a
 * window with the hollow nodes publishing no metrics (OFF) and one with NodeMetrics every 5 s per node (ON), in the
 * same run: records and bytes on berth.resource-metrics, CPU of the control plane's JVM and of the hollow nodes, the
 * autoscaler's consumer lag and work, printed as OFF, ON and ON/OFF. A hollow node's metrics are fixed when it starts:
 * before each window the hollow nodes are restarted (rebuilding from berth.placements as a restarted agent does; without
 * metrics for OFF, with them for ON, so both windows follow the same disturbance), and the window begins once every pod
 * runs again and the cluster had {@code --settle} seconds to calm down.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures what resource metrics cost: the same cluster with the hollow nodes' NodeMetrics off, then on.")
final class MetricsCostBenchmark implements Callable<Integer> {
    static final String MEASURED = "load-";
    static final List<String> TOPICS = List.of("berth.resource-metrics", "berth.node-heartbeats", "berth.pod-status",
            "berth.autoscaler-status", "berth.commands");

    @Option(names = "--pods", defaultValue = "100000", description = "pods on hollow nodes (default ${DEFAULT-VALUE})")
    int pods;

    @Option(names = "--nodes", defaultValue = "5000", description = "hollow nodes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--deployments", defaultValue = "100", description = "Deployments the pods are spread over (default ${DEFAULT-VALUE})")
    int deployments;

    @Option(names = "--autoscaled", defaultValue = "20", description = "of them, how many have an HPA at cpu 50 %% (default ${DEFAULT-VALUE})")
    int autoscaled;

    @Option(names = "--window", defaultValue = "60", description = "seconds each of OFF and ON is measured (default ${DEFAULT-VALUE})")
    int windowSeconds;

    @Option(names = "--interval", defaultValue = "5", description = "seconds between a hollow node's NodeMetrics when ON, as a real agent's (default ${DEFAULT-VALUE})")
    int intervalSeconds;

    @Option(names = "--pod-cpu-millis", defaultValue = "5",
            description = "cpu each pod reports using; requests are 10 m, so 5 is the HPA's 50 %% target: evaluated, never scaled (default ${DEFAULT-VALUE})")
    int podCpuMillis;

    @Option(names = "--settle", defaultValue = "60", description = "seconds after every pod runs before a window starts (default ${DEFAULT-VALUE})")
    int settleSeconds;

    @Option(names = "--stall-timeout", defaultValue = "60", description = "seconds without progress before placing gives up (default ${DEFAULT-VALUE})")
    int stallSeconds;

    @Option(names = "--control-plane-jvm", split = " ", description = "JVM options of the control plane's process (default -Xmx2g)")
    List<String> controlPlaneJvm;

    @Option(names = "--work-dir", description = "where the run's logs go (default: a new temp dir)")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        if (pods < 1 || nodes < 1 || deployments < 1 || deployments > pods || autoscaled < 0 || autoscaled > deployments
                || pods / deployments > 10_000 || windowSeconds < 5 || windowSeconds > 600 || intervalSeconds < 1 || intervalSeconds > 300
                || podCpuMillis < 0 || settleSeconds < 0 || settleSeconds > 600 || stallSeconds < 5) {
            throw new IllegalArgumentException("out of bounds: --pods, --nodes ≥ 1; 1 ≤ --deployments ≤ pods, at most 10,000 pods each; "
                    + "0 ≤ --autoscaled ≤ deployments; --window 5-600; --interval 1-300; --settle 0-600; --stall-timeout ≥ 5");
        }
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("berth-bench-metrics-");
        System.out.print(run(dir, System.err));
        return 0;
    }

    String run(Path dir, PrintStream progress) throws Exception {
        progress.println("berth-bench metrics: starting a fresh embedded Kafka broker");
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            BusConfig bus = new BusConfig(kafka.bootstrapServers());
            BenchTopics.create(bus);
            Vertx vertx = Vertx.vertx();
            BenchOptions sizing = new BenchOptions(pods, nodes, Math.max(1, pods / deployments), false, 0, 0, 0, 0,
                    Duration.ofSeconds(stallSeconds), List.of(), dir);
            HollowNodes.Options hollowOptions = new HollowNodes.Options(PlacementBenchmark.HOLLOW_PREFIX, nodes,
                    PlacementBenchmark.capacity(sizing), PlacementBenchmark.HEARTBEAT);
            Path log = dir.resolve("control-plane.log");
            List<String> jvm = controlPlaneJvm != null ? controlPlaneJvm : BenchOptions.DEFAULT_CONTROL_PLANE_JVM;
            try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(bus, jvm, List.of("with-autoscaler"), log);
                 EventObserver observer = EventObserver.start(bus, MEASURED);
                 Commands commands = new Commands(bus);
                 KafkaConsumer<byte[], byte[]> offsets = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-bench-offsets")),
                         new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                         new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                String hollowId = deploy(vertx, new HollowNodes(bus, hollowOptions));
                progress.printf("  %,d hollow nodes heartbeating every %d s, no metrics%n", nodes, PlacementBenchmark.HEARTBEAT.toSeconds());
                int port = controlPlane.awaitAutoscalerMetricsPort(Duration.ofMinutes(2));
                controlPlane.awaitReady(Duration.ofMinutes(2));
                URI scrape = URI.create("http://127.0.0.1:" + port + "/metrics");
                progress.printf("  control plane with autoscaler ready (pid %d, log %s, autoscaler metrics %s)%n", controlPlane.pid(), log, scrape);
                Waits.until("all hollow nodes Ready", Duration.ofMinutes(3), () -> observer.readyNodes() >= nodes);

                place(commands, observer, progress);
                progress.println("  restarting the hollow nodes without metrics, as they will be restarted with them for ON");
                hollowId = restart(vertx, hollowId, new HollowNodes(bus, hollowOptions), progress);
                Map<String, List<TopicPartition>> partitions = partitions(offsets);
                progress.printf("[OFF] measuring %d s without metrics%n", windowSeconds);
                MetricsCost.Window off = window(controlPlane, offsets, partitions, scrape, observer, progress);

                progress.println("  restarting the hollow nodes with metrics every " + intervalSeconds + " s");
                restart(vertx, hollowId, new HollowNodes(bus, hollowOptions.withMetrics(
                        HollowNodes.Metrics.every(Duration.ofSeconds(intervalSeconds), podCpuMillis, PlacementBenchmark.TINY.memoryBytes() / 2))),
                        progress);
                progress.printf("[ON] measuring %d s with metrics every %d s%n", windowSeconds, intervalSeconds);
                MetricsCost.Window on = window(controlPlane, offsets, partitions, scrape, observer, progress);
                double autoscalers = on.end().autoscaler().getOrDefault("autoscalers", 0.0);
                String lastStatus = autoscaled == 0 ? null : lastStatus(offsets, partitions.get("berth.autoscaler-status"), MEASURED + "000");
                progress.println("  done; logs in " + dir);
                return MetricsCost.table(title(), MetricsCost.rows(off, on), notes(off, on, autoscalers, lastStatus, observer.counts()));
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private String title() {
        return String.format("Berth metrics cost, %s, %d cpus, Java %s: %,d pods on %,d hollow nodes (%d Deployments, %d with an HPA at cpu 50 %%), "
                        + "windows of %d s, metrics every %d s when ON",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), pods, nodes, deployments, autoscaled, windowSeconds, intervalSeconds);
    }

    private List<String> notes(MetricsCost.Window off, MetricsCost.Window on, double autoscalers, String lastStatus, EventObserver.Counts counts) {
        List<String> notes = new ArrayList<>();
        double records = on.end().endOffsets().get("berth.resource-metrics") - on.start().endOffsets().get("berth.resource-metrics");
        notes.add(String.format("ON: %,.0f NodeMetrics records of %,.0f bytes on average; expected %,.1f records/s (%,d nodes / %d s)",
                records, records == 0 ? 0 : on.metricsBytes() / records, (double) nodes / intervalSeconds, nodes, intervalSeconds));
        notes.add(String.format("the autoscaler knew %,.0f autoscalers; windows measured %.1f s (OFF) and %.1f s (ON)", autoscalers,
                off.seconds(), on.seconds()));
        if (lastStatus != null) notes.add("the last HPA status of " + MEASURED + "000: " + lastStatus);
        notes.add("both windows start after restarting the hollow nodes (without metrics for OFF, with them for ON), every pod Running again "
                + "and " + settleSeconds + " s of settling: a hollow node's metrics are fixed when it starts");
        notes.add("the controller and scheduler do not read berth.resource-metrics: the control plane's extra CPU is the autoscaler's (and GC)");
        notes.add("CPU = CPU time used in the window / wall time; hollow nodes = the benchmark JVM's Vert.x threads and hollow-nodes Kafka clients");
        notes.add(String.format("cluster: %,d placed, %,d unschedulable, %,d lost, %,d NotReady decisions over the run", counts.placed(),
                counts.unschedulable(), counts.lost(), counts.notReady()));
        return notes;
    }

    private void place(Commands commands, EventObserver observer, PrintStream progress) {
        int perDeployment = (pods + deployments - 1) / deployments;
        int sent = 0;
        for (int i = 0, left = pods; left > 0; i++, left -= perDeployment) {
            String name = String.format("%s%03d", MEASURED, i);
            int replicas = Math.min(left, perDeployment);
            commands.apply(name, replicas, PlacementBenchmark.TINY);
            if (i < autoscaled) commands.applyAutoscaler(name, replicas, 50);
            sent++;
        }
        commands.flush();
        progress.printf("  sent %d ApplyDeployment (and %d ApplyHorizontalPodAutoscaler) for %,d pods%n", sent, Math.min(autoscaled, sent), pods);
        boolean placed = Waits.progress(() -> Math.min(observer.counts().placed(), observer.counts().running()), pods,
                Duration.ofSeconds(stallSeconds), () -> String.format("placed %,d, running %,d of %,d", observer.counts().placed(),
                        observer.counts().running(), pods), progress);
        if (!placed) throw new IllegalStateException("placing stalled: " + observer.counts());
        progress.printf("  %,d pods placed and running%n", pods);
    }

    /** Samples at both ends (and the lag every 5 s between), then reads the window's resource-metrics records for their bytes. */
    private MetricsCost.Window window(ControlPlaneProcess controlPlane, KafkaConsumer<byte[], byte[]> consumer,
                                      Map<String, List<TopicPartition>> partitions, URI scrape, EventObserver observer,
                                      PrintStream progress) throws Exception {
        Map<TopicPartition, Long> startOffsets = consumer.endOffsets(partitions.get("berth.resource-metrics"), Duration.ofSeconds(30));
        MetricsCost.Sample start = sample(controlPlane, consumer, partitions, scrape, observer);
        double maxLag = start.autoscaler().getOrDefault("lag", 0.0);
        long end = start.nanos() + windowSeconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Waits.sleep(Math.max(1, Math.min(5_000, (end - System.nanoTime()) / 1_000_000)));
            if (System.nanoTime() < end) maxLag = Math.max(maxLag, MetricsCost.autoscalerSeries(get(scrape)).getOrDefault("lag", 0.0));
        }
        Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions.get("berth.resource-metrics"), Duration.ofSeconds(30));
        MetricsCost.Sample last = sample(controlPlane, consumer, partitions, scrape, observer);
        maxLag = Math.max(maxLag, last.autoscaler().getOrDefault("lag", 0.0));
        long bytes = bytes(consumer, startOffsets, endOffsets);
        progress.printf("  %.0f resource-metrics records, %,d bytes; autoscaler lag max %.0f%n",
                (double) (last.endOffsets().get("berth.resource-metrics") - start.endOffsets().get("berth.resource-metrics")), bytes, maxLag);
        return new MetricsCost.Window(start, last, bytes, maxLag);
    }

    private static MetricsCost.Sample sample(ControlPlaneProcess controlPlane, KafkaConsumer<byte[], byte[]> consumer,
                                             Map<String, List<TopicPartition>> partitions, URI scrape, EventObserver observer) throws Exception {
        Map<String, Long> ends = new HashMap<>();
        for (var e : partitions.entrySet()) {
            ends.put(e.getKey(), consumer.endOffsets(e.getValue(), Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum());
        }
        Map<String, Long> cpu = new HashMap<>();
        cpu.put(MetricsCost.CONTROL_PLANE, controlPlane.cpuTime().toNanos());
        cpu.put(MetricsCost.HOLLOW, hollowThreadsCpuNanos());
        cpu.put(MetricsCost.BENCH, ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos());
        Map<String, Double> autoscaler = MetricsCost.autoscalerSeries(get(scrape));
        EventObserver.Counts counts = observer.counts();
        return new MetricsCost.Sample(System.nanoTime(), ends, cpu, autoscaler,
                Map.of(MetricsCost.NOT_READY, (long) counts.notReady(), MetricsCost.LOST, (long) counts.lost()));
    }

    /**
     * CPU of the threads that run the hollow nodes: the benchmark JVM's Vert.x threads (only the hollow nodes use
     * Vert.x here) and their Kafka clients' network threads. A thread that ends within a window takes its time along.
     */
    private static long hollowThreadsCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) continue;
            String name = t.getThreadName();
            if (name.startsWith("vert.x-") || name.contains("hollow-nodes")) {
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                if (cpu > 0) total += cpu;
            }
        }
        return total;
    }

    /** The bytes (key and value) of the records between the offsets: what the broker stored for the window. */
    private static long bytes(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        long bytes = 0;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && from.keySet().stream().anyMatch(p -> consumer.position(p) < to.get(p))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() < to.get(new TopicPartition(r.topic(), r.partition()))) {
                    bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                }
            }
        }
        consumer.unsubscribe();
        return bytes;
    }

    /** What the autoscaler last said of {@code hpa}: its current metrics and reason, from berth.autoscaler-status. */
    private static String lastStatus(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, String hpa) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        byte[] last = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.key() != null && hpa.equals(new String(r.key(), StandardCharsets.UTF_8))) last = r.value();
            }
        }
        consumer.unsubscribe();
        if (last == null) return "none published";
        try {
            JsonNode data = Json.parse(new String(last, StandardCharsets.UTF_8)).path("data");
            return data.path("currentReplicas").asText() + "/" + data.path("desiredReplicas").asText() + " replicas, metrics "
                    + data.path("currentMetrics") + ", \"" + data.path("reason").asText() + "\"";
        } catch (Exception e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static Map<String, List<TopicPartition>> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        Map<String, List<TopicPartition>> out = new HashMap<>();
        for (String topic : TOPICS) {
            List<TopicPartition> list = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) list.add(new TopicPartition(topic, p.partition()));
            out.put(topic, list);
        }
        return out;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String get(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(uri + " answered " + r.statusCode());
        return r.body();
    }

    /** Stops the hollow nodes and starts {@code next} in their place; returns once every pod runs again and the cluster settled. */
    private String restart(Vertx vertx, String running, HollowNodes next, PrintStream progress) throws Exception {
        vertx.undeploy(running).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        String id = deploy(vertx, next);
        boolean back = Waits.progress(() -> next.runningPods().size(), pods, Duration.ofSeconds(stallSeconds),
                () -> String.format("running again %,d/%,d", next.runningPods().size(), pods), progress);
        if (!back) progress.printf("  only %,d of %,d pods running again; measuring anyway%n", next.runningPods().size(), pods);
        progress.printf("  every pod runs again; settling %d s%n", settleSeconds);
        Waits.sleep(settleSeconds * 1000L);
        return id;
    }

    private static String deploy(Vertx vertx, HollowNodes hollow) throws Exception {
        return vertx.deployVerticle(hollow).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
