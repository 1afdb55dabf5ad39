package dev.berth.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Limits;
import dev.berth.bus.Validation;
import dev.berth.bus.contract.ContainerMetrics;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.PodMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResourceMetricsTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final long S = 1_000_000_000L;
    private static final ResourceMetrics.PodInfo WEB = ResourceMetrics.PodInfo.of("shop", "web-1", "web");

    @ParameterizedTest(name = "{0} ns → {1} ns over {2} ms = {3} m")
    @CsvSource({
            // previous, current, window ms, expected millicores (-1: no rate)
            "0, 1000000000, 1000, 1000",        // one core for a second
            "0, 500000000, 1000, 500",
            "0, 2000000000, 1000, 2000",        // two cores
            "0, 5000000000, 5000, 1000",        // one core over the 5 s default
            "10, 10, 5000, 0",                  // idle
            "0, 1, 5000, 0",                    // rounds down
            "0, 4999999, 5000, 0",              // 0.9999 m
            "0, 5000000, 5000, 1",              // exactly 1 m
            "0, 250000000, 1000, 250",
            "7000000000, 7250000000, 1000, 250", // a long-running counter
            "5, 4, 1000, -1",                   // counter went back: reset
            "1000000000, 0, 1000, -1",          // new cgroup from zero
            "0, 1000, 0, -1",                   // no window
            "0, 1000, -1000, -1",               // clock went back
            "0, 9000000000000000000, 1, 1000000000", // absurd: capped at the bus's bound
    })
    void millicores(long previous, long current, long windowMillis, long expected) {
        OptionalLong m = ResourceMetrics.millicores(previous, current, Duration.ofMillis(windowMillis));
        if (expected < 0) assertThat(m).isEmpty();
        else assertThat(m).hasValue(expected);
    }

    @ParameterizedTest(name = "usage {0} − inactive {1} = {2}")
    @CsvSource({"100, 40, 60", "100, 100, 0", "100, 150, 0", "0, 0, 0", "104857600, 0, 104857600"})
    void workingSetIsUsageMinusInactiveFileFlooredAtZero(long usage, long inactive, long expected) {
        assertThat(new UsageSample(0, usage, inactive).workingSetBytes()).isEqualTo(expected);
    }

    private static ResourceMetrics.Reading reading(Instant at, long nodeCpu, long nodeMem, ResourceMetrics.ContainerSample... cs) {
        Map<String, ResourceMetrics.ContainerSample> m = new HashMap<>();
        for (ResourceMetrics.ContainerSample c : cs) m.put(c.pod(), c);
        return new ResourceMetrics.Reading(at, new UsageSample(nodeCpu, nodeMem, 0), m);
    }

    private static ResourceMetrics.ContainerSample c(String pod, long run, long cpu, long mem, long inactive) {
        return new ResourceMetrics.ContainerSample(pod, run, new UsageSample(cpu, mem, inactive));
    }

    @Test
    void theFirstReadingPublishesNothing() {
        assertThat(ResourceMetrics.metrics("n1", null, reading(T0, 0, 1 << 20, c("web-1", 0, 5, 10, 0)), Map.of("web-1", WEB))).isEmpty();
    }

    @Test
    void twoReadingsGiveRatesAndWorkingSets() {
        var before = reading(T0, 10 * S, 0, c("web-1", 0, 1 * S, 0, 0));
        var now = reading(T0.plusSeconds(5), 15 * S, 2L << 30, c("web-1", 0, 2 * S, 50L << 20, 8L << 20));
        NodeMetrics m = ResourceMetrics.metrics("n1", before, now, Map.of("web-1", WEB)).orElseThrow();
        assertThat(m.node()).isEqualTo("n1");
        assertThat(m.at()).isEqualTo(now.at());
        assertThat(m.windowMillis()).isEqualTo(5000);
        assertThat(m.cpuMillicores()).isEqualTo(1000);
        assertThat(m.memoryWorkingSetBytes()).isEqualTo(2L << 30);
        assertThat(m.pods()).containsExactly(new PodMetrics("shop", "web-1", "web", List.of(new ContainerMetrics("web", 200, 42L << 20))));
        assertThat(Validation.problems(m)).isEmpty();
    }

    @Test
    void aContainerSeenForTheFirstTimeOrRestartedOrResetIsLeftOutNotReportedIdle() {
        Map<String, ResourceMetrics.PodInfo> pods = Map.of("a", WEB, "b", WEB, "c", WEB, "d", WEB);
        var before = reading(T0, 0, 0, c("a", 0, S, 1, 0), c("b", 0, S, 1, 0), c("c", 0, S, 1, 0));
        var now = reading(T0.plusSeconds(1), S, 0,
                c("a", 0, 2 * S, 1, 0),  // steady: kept
                c("b", 1, 2 * S, 1, 0),  // restarted (a new run): no rate yet
                c("c", 0, S / 2, 1, 0),  // counter went back
                c("d", 0, S, 1, 0));     // new
        NodeMetrics m = ResourceMetrics.metrics("n1", before, now, pods).orElseThrow();
        assertThat(m.pods()).extracting(PodMetrics::pod).containsExactly("a");
        assertThat(m.pods().get(0).cpuMillicores()).isEqualTo(1000);
    }

    @Test
    void podsTheAgentNoLongerRunsAreLeftOut() {
        var before = reading(T0, 0, 0, c("gone", 0, 0, 1, 0));
        var now = reading(T0.plusSeconds(1), S, 0, c("gone", 0, S, 1, 0));
        assertThat(ResourceMetrics.metrics("n1", before, now, Map.of()).orElseThrow().pods()).isEmpty();
    }

    @Test
    void noRateForTheNodeMeansNoRecord() {
        var before = reading(T0, 10 * S, 0);
        assertThat(ResourceMetrics.metrics("n1", before, reading(T0.plusSeconds(1), 5 * S, 0), Map.of())).isEmpty(); // reset
        assertThat(ResourceMetrics.metrics("n1", before, reading(T0, 11 * S, 0), Map.of())).isEmpty(); // no window
        assertThat(ResourceMetrics.metrics("n1", before, reading(T0.minusSeconds(1), 11 * S, 0), Map.of())).isEmpty(); // clock back
    }

    @Test
    void podsComeSortedByNameAndAreTruncatedAtTheBusBound() {
        int n = Limits.METRICS_PODS_MAX_ITEMS + 5;
        Map<String, ResourceMetrics.ContainerSample> b = new HashMap<>(), a = new HashMap<>();
        Map<String, ResourceMetrics.PodInfo> pods = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String pod = String.format("p-%05d", n - i);
            b.put(pod, c(pod, 0, 0, 0, 0));
            a.put(pod, c(pod, 0, S, 1, 0));
            pods.put(pod, ResourceMetrics.PodInfo.of("default", pod, null));
        }
        NodeMetrics m = ResourceMetrics.metrics("n1", new ResourceMetrics.Reading(T0, new UsageSample(0, 0, 0), b),
                new ResourceMetrics.Reading(T0.plusSeconds(1), new UsageSample(S, 0, 0), a), pods).orElseThrow();
        assertThat(m.pods()).hasSize(Limits.METRICS_PODS_MAX_ITEMS);
        assertThat(m.pods().get(0).pod()).isEqualTo("p-00001");
        assertThat(m.pods()).extracting(PodMetrics::pod).isSorted();
        assertThat(Validation.problems(m)).isEmpty();
    }

    @Test
    void theContainerIsNamedAfterItsDeploymentElseItsPodWithinTheNameBound() {
        assertThat(ResourceMetrics.PodInfo.of("default", "web-abc", "web").container()).isEqualTo("web");
        assertThat(ResourceMetrics.PodInfo.of("default", "solo", null).container()).isEqualTo("solo");
        assertThat(ResourceMetrics.PodInfo.of("default", "x".repeat(80), null).container()).hasSize(Limits.CONTAINER_NAME_MAX_LENGTH);
    }

    /** The cost docs/metrics.md states: one record of a node with 20 pods, as it goes on the wire (JSON envelope). */
    @Test
    void aRecordOfANodeWithTwentyPodsStaysSmall() {
        List<PodMetrics> pods = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pods.add(new PodMetrics("default", String.format("web-7d4b9c8f6d-%05d", i), "web",
                    List.of(new ContainerMetrics("web", 123, 45_678_912))));
        }
        NodeMetrics m = new NodeMetrics("node-12", T0, 5000, 1234, 3_456_789_012L, pods);
        String json = dev.berth.bus.Json.encode(dev.berth.bus.Envelope.spontaneous(m, "node-agent/node-12", T0));
        int bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        System.out.printf("NodeMetrics with 20 pods: %d bytes (%d per pod)%n", bytes, bytes / 20);
        assertThat(bytes).isLessThan(4096);
        assertThat(Validation.problems(m)).isEmpty();
    }

    @Test
    void hostUsageFromProc() {
        assertThat(HostUsage.cpuNanos(List.of("cpu  100 20 30 5000 40 5 5 10 0 0", "cpu0 1 2 3 4 5 6 7 8 0 0")))
                .isEqualTo((100 + 20 + 30 + 5 + 5 + 10) * HostUsage.NANOS_PER_TICK);
        assertThat(HostUsage.memoryUsedBytes(List.of("MemTotal:       16000 kB", "MemFree:  1000 kB", "MemAvailable:   6000 kB")))
                .isEqualTo(10000L * 1024);
    }
}
