package dev.berth.bus;

import dev.berth.bus.contract.*;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Cost of {@link Json#encode} and {@link Json#decode} per record for the envelopes of the placement
 * hot path: prints CPU ns/op and allocated bytes/op (median of several rounds), asserts nothing. Not part
 * of the normal test run:
 * {@code ./mvnw -q -pl services/bus -am test -Dtest=CodecBenchmark -Dberth.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
class CodecBenchmark {
    private static final int ROUNDS = Integer.getInteger("berth.bench.rounds", 7);
    private static final long ROUND_NANOS = Long.getLong("berth.bench.roundMillis", 600L) * 1_000_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Keeps results alive so the JIT cannot drop the work. */
    static volatile Object sink;

    @Test
    void encodeAndDecodeTheHotPathRecords() throws Exception {
        Map<String, Envelope> samples = hotPathEnvelopes();
        for (var e : samples.entrySet()) {
            System.out.printf("%-17s %4d bytes%n", e.getKey(), Json.encode(e.getValue()).length());
        }
        // Warm every path first, so the first sample measured does not pay for the others' compilation.
        for (int i = 0; i < 3; i++) for (Envelope env : samples.values()) { measureEncode(env); measureDecode(Json.encode(env)); }
        System.out.printf("%-17s %12s %12s %12s %12s%n", "record", "encode ns", "encode B", "decode ns", "decode B");
        for (var e : samples.entrySet()) {
            String json = Json.encode(e.getValue());
            List<double[]> enc = new ArrayList<>(), dec = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                enc.add(measureEncode(e.getValue()));
                dec.add(measureDecode(json));
            }
            System.out.printf("%-17s %12.0f %12.0f %12.0f %12.0f%n", e.getKey(),
                    median(enc, 0), median(enc, 1), median(dec, 0), median(dec, 1));
        }
    }

    public static void main(String[] args) throws Exception { new CodecBenchmark().encodeAndDecodeTheHotPathRecords(); }

    private static double[] measureEncode(Envelope env) {
        return measure(() -> sink = Json.encode(env));
    }

    private static double[] measureDecode(String json) {
        return measure(() -> {
            try {
                sink = Json.decode(json);
            } catch (BadRecordException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * {ns/op, bytes/op} over batches of calls until the round's time is up. The time is this thread's
     * CPU time: on a shared machine, wall time mostly measures the neighbours.
     */
    private static double[] measure(Runnable op) {
        long thread = Thread.currentThread().getId();
        long ops = 0;
        long bytes0 = THREADS.getThreadAllocatedBytes(thread);
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        do {
            for (int i = 0; i < 1000; i++) op.run();
            ops += 1000;
        } while (System.nanoTime() - wall0 < ROUND_NANOS);
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        long bytes = THREADS.getThreadAllocatedBytes(thread) - bytes0;
        return new double[] {(double) cpu / ops, (double) bytes / ops};
    }

    private static double median(List<double[]> rounds, int column) {
        double[] values = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    /** Envelopes shaped like those of a 5,000-node placement run (times with microseconds, as Instant.now() gives). */
    static Map<String, Envelope> hotPathEnvelopes() {
        Instant now = Instant.parse("2026-11-27T10:00:00.123456Z");
        PodTemplate template = new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), Map.of(),
                new Resources(100, 64L << 20), "Always", 5)
                .withPlacement(Map.of("topology.kubernetes.io/zone", "a"), List.of(new Toleration("dedicated", "Equal", "gpu", "NoSchedule")));
        Envelope command = Envelope.command(new ApplyDeployment(new DeploymentSpec("app-17", 20, template)), "cli", now);
        Envelope created = Envelope.causedBy(command, new PodCreated("app-17-4f9kq", "app-17", 1, template), "controller", now);
        List<PodPlaced.NodeScore> top = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put("LeastAllocated", 87.25 - i);
            scores.put("BalancedAllocation", 93.5 - i);
            scores.put("SelectorSpread", 100.0 - 10 * i);
            scores.put("TaintToleration", 100.0);
            top.add(new PodPlaced.NodeScore("node-" + (4211 + i), 380.75 - 12 * i, scores));
        }
        Envelope placed = Envelope.causedBy(created, new PodPlaced("app-17-4f9kq", "node-4211", "app-17", template, 5000,
                Map.of("Insufficient memory", 12, "node(s) didn't match node selector", 3), top), "scheduler", now.plusMillis(3));
        Envelope status = Envelope.causedBy(placed, new PodStatusChanged("app-17-4f9kq", "node-4211", ContainerState.Running, null,
                "Started", "hollow node", 0), "node-agent/node-4211", now.plusMillis(9));
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < 20; i++) pods.add("app-" + (i * 37 % 500) + "-" + Integer.toString(1_000_000 + i * 7919, 36));
        NodeResources capacity = new NodeResources(32_000, 128L << 30, 110);
        Envelope heartbeat = Envelope.spontaneous(new NodeHeartbeat("node-4211", capacity,
                new NodeResources(30_000, 120L << 30, 90), List.of("busybox"), pods, 1234, now.minusSeconds(600),
                Map.of("topology.kubernetes.io/zone", "a"), List.of()), "node-agent/hollow", now.plusMillis(11));
        Map<String, Envelope> samples = new LinkedHashMap<>();
        samples.put("PodCreated", created);
        samples.put("PodPlaced", placed);
        samples.put("PodStatusChanged", status);
        samples.put("NodeHeartbeat", heartbeat);
        return samples;
    }
}
