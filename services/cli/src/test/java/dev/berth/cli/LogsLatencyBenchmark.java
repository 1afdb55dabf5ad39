package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Topic;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.node.NodeAgentOptions;
import dev.berth.node.NodeAgentVerticle;
import dev.berth.node.PodNetworkSetup;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log delivery latency, container write to a line a {@code berth logs -f} reader sees: a busybox container prints
 * {@value #LINES} lines, each carrying the wall clock in microseconds read just before the write (adjtimex; busybox's
 * date has no %N), every 50 ms ({@code -Dberth.bench.logs.pauseMs}); the reader is {@code berth logs -f}'s own ({@link PodLogReader} following the pod's
 * partition, {@link LogsCommand.Follow} rendering) and takes the difference to its clock on arrival: same host, same
 * clock. One node agent with real runc on an embedded broker. Prints p50/p99/max; asserts nothing about them.
 * {@code ./mvnw -B -q -o -pl services/cli test -Dtest=LogsLatencyBenchmark -Dberth.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class LogsLatencyBenchmark {
    static final int LINES = 200;
    /** The pause between lines: 50 ms packs four lines in each 200 ms batch interval; 250 ms is a quiet pod's. */
    static final int PAUSE_MS = Integer.getInteger("berth.bench.logs.pauseMs", 50);
    @TempDir Path home;
    @TempDir Path images;

    @Test
    void containerWriteToFollowingReader() throws Exception {
        try (TestBus bus = TestBus.start()) {
            Vertx vertx = Vertx.vertx();
            NodeAgentOptions node = NodeAgentOptions.local("bench-logs", home.resolve("node"), images);
            String agent = TestBus.await(vertx.deployVerticle(new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.RUNC, PodNetworkSetup.NONE)));
            String pod = "latency-0";
            List<Long> micros = new ArrayList<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            LogsCommand.Choice choice = new LogsCommand.Choice(pod, "default", "bench", 0, null, null);
            LogsCommand.Follow follow = new LogsCommand.Follow(choice, false);
            Thread reader = new Thread(() -> {
                try {
                    new PodLogReader(bus.config()).read(pod, null, true, e -> {}, () -> {}, e -> {
                        long now = micros(Instant.now());
                        for (String line : follow.accept(e)) {
                            String[] parts = line.split(" ");
                            if (parts.length == 3 && parts[0].equals("lat")) micros.add(now - Long.parseLong(parts[2]));
                        }
                        return micros.size() < LINES;
                    });
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            reader.start();
            Thread.sleep(1000); // the reader is at the end of the partition before the first line
            String script = "sleep 1; for i in $(seq 1 " + LINES + "); do adjtimex | awk -v i=$i "
                    + "'/tv_sec/{s=$2} /tv_usec/{u=$2} END{printf \"lat %d %d%06d\\n\", i, s, u}'; usleep " + PAUSE_MS * 1000 + "; done; sleep 600";
            PodTemplate t = new PodTemplate("busybox", List.of("sh", "-c"), List.of(script), Map.of(), new Resources(250, 0), "Always", 1);
            bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced(pod, node.nodeName(), "bench", t, 1, Map.of(), List.of()));
            reader.join(30_000L + (long) LINES * PAUSE_MS * 2);
            reader.interrupt();
            bus.send(Topic.PLACEMENTS, node.nodeName(), new PodReleased(pod, node.nodeName(), "bench"));
            TestBus.await(vertx.undeploy(agent));
            NodeAgentVerticle.removeContainers(node);
            TestBus.await(vertx.close());
            assertThat(failed.get()).isNull();
            assertThat(micros).hasSize(LINES);
            List<Long> sorted = micros.stream().sorted().toList();
            System.out.printf("logs latency, write -> `berth logs -f` reader, %d lines every %d ms: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, min %.1f ms%n",
                    LINES, PAUSE_MS, ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted.get(sorted.size() - 1) / 1000.0, sorted.get(0) / 1000.0);
        }
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1000.0;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

}
