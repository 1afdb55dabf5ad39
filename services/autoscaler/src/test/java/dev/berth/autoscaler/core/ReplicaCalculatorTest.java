package dev.berth.autoscaler.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kubernetes' replica calculator, case by case (the cases of replica_calculator_test.go worked by hand) and on
 * generated targets checked against {@code desired = ceil(ready × current / target)} and its invariants.
 */
class ReplicaCalculatorTest {
    private static final double TOLERANCE = ReplicaCalculator.DEFAULT_TOLERANCE;

    /** Pods as "R300" (ready, using 300), "U" (unready), "M" (no sample), "I" (ignored), separated by spaces. */
    static List<PodSample> pods(String spec, Long request) {
        List<PodSample> out = new ArrayList<>();
        int i = 0;
        for (String p : spec.trim().split("\\s+")) {
            String name = "p" + i++;
            switch (p.charAt(0)) {
                case 'R' -> out.add(PodSample.ready(name, Long.parseLong(p.substring(1)), request));
                case 'U' -> out.add(PodSample.unready(name, request));
                case 'M' -> out.add(PodSample.missing(name, request));
                case 'I' -> out.add(PodSample.ignored(name, request));
                default -> throw new IllegalArgumentException(p);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} replicas, pods [{1}], request {2}m, target {3}% -> {4} ({5}%)")
    @CsvSource(delimiter = '|', value = {
            // scale up: 1500m of 3000m requested = 50 % against 30 % -> ceil(1.667 x 3)
            "3 | R300 R500 R700 | 1000 | 30 | 5 | 50",
            // an unready pod on a scale-up counts as using nothing: 1200/3000 = 40 % -> ceil(1.333 x 3)
            "3 | U R500 R700 | 1000 | 30 | 4 | 60",
            // the unready pod as 0 % brings 80 % down to 1600/3000 = 53 %, within tolerance of 50 %: no change (not 4)
            "3 | U R800 R800 | 1000 | 50 | 3 | 80",
            // the same with a pod without samples
            "3 | M R800 R800 | 1000 | 50 | 3 | 80",
            // scale down: 1400/5000 = 28 % against 50 % -> ceil(0.56 x 5)
            "5 | R100 R300 R500 R250 R250 | 1000 | 50 | 3 | 28",
            // on target exactly with a pod without samples: no change
            "2 | R1000 M | 1000 | 100 | 2 | 100",
            // scale-up where missing pods (as 0 %) bring the ratio below 1: the direction would reverse, no change
            "4 | R900 R900 M M | 1000 | 50 | 4 | 90",
            // missing as 0 % leaves 50 % = target: within tolerance, no change
            "4 | R1000 R1000 M M | 1000 | 50 | 4 | 100",
            // missing as 0 %: 3000/4000 = 75 % -> ceil(1.5 x 4)
            "4 | R1500 R1500 M M | 1000 | 50 | 6 | 150",
            // scale-down where missing pods (as 100 %) bring the ratio above 1: no change
            "4 | R100 R100 M M | 1000 | 50 | 4 | 10",
            // missing as 100 %: 2400/6000 = 40 % -> ceil(0.8 x 6)
            "6 | R100 R100 R100 R100 M M | 1000 | 50 | 5 | 10",
            // missing as the target when it is above 100 %: (300 + 2000)/4000 = 57 % of 200 % -> ceil(0.285 x 4)
            "4 | R100 R100 R100 M | 1000 | 200 | 2 | 10",
            // a scale-down leaves unready pods out: 600/3000 = 20 % -> ceil(0.4 x 3)
            "5 | R100 U U R250 R250 | 1000 | 50 | 2 | 20",
            // within tolerance: 54 % of 50 % is 1.08
            "3 | R540 R540 R540 | 1000 | 50 | 3 | 54",
            // just past it: 56 % -> ceil(1.12 x 3)
            "3 | R560 R560 R560 | 1000 | 50 | 4 | 56",
            // 44 % is inside too, 45 % is 0.9 exactly, 40 % is not
            "3 | R450 R450 R450 | 1000 | 50 | 3 | 45",
            "3 | R400 R400 R400 | 1000 | 50 | 3 | 40",
            "5 | R400 R400 R400 R400 R400 | 1000 | 50 | 4 | 40",
            // pods being deleted or failed are left out: 1600/2000 = 80 % of 50 % over 2 ready pods -> ceil(3.2)
            "3 | I R800 R800 | 1000 | 50 | 4 | 80",
            // idle: all the way down (min/max come later)
            "3 | R0 R0 R0 | 1000 | 50 | 0 | 0",
            // a single pod far over its request
            "1 | R4000 | 500 | 80 | 10 | 800",
            // many pods
            "10 | R100 R100 R100 R100 R100 R100 R100 R100 R100 R100 | 100 | 50 | 20 | 100",
    })
    void utilization(int current, String spec, long request, int target, int expected, long utilization) {
        Proposal p = ReplicaCalculator.utilization(current, pods(spec, request), target, "cpu", TOLERANCE);
        assertThat(p.error()).isNull();
        assertThat(p.replicas()).isEqualTo(expected);
        assertThat(p.current()).isEqualTo(utilization);
    }

    @ParameterizedTest(name = "{0} replicas, pods [{1}], target {2}m -> {3}")
    @CsvSource(delimiter = '|', value = {
            "3 | R20000 R10000 R30000 | 10000 | 6 | 20000",
            "3 | R10500 R10500 R10500 | 10000 | 3 | 10500",
            // missing as the target on a scale-down: (10000 + 20000)/4 = 7500 -> ceil(0.75 x 4)
            "4 | R5000 R5000 M M | 10000 | 3 | 5000",
            // unready as 0 on a scale-up: 30000/2 = 15000 -> ceil(1.5 x 2)
            "2 | R30000 U | 10000 | 3 | 30000",
            "2 | R0 R0 | 10000 | 0 | 0",
            "4 | R12000 R12000 R12000 R12000 | 10000 | 5 | 12000",
            "4 | R10900 R10900 R10900 R10900 | 10000 | 4 | 10900",
    })
    void averageValue(int current, String spec, long target, int expected, long average) {
        Proposal p = ReplicaCalculator.averageValue(current, pods(spec, null), target, TOLERANCE);
        assertThat(p.error()).isNull();
        assertThat(p.replicas()).isEqualTo(expected);
        assertThat(p.current()).isEqualTo(average);
    }

    @Test
    void aPodWithoutACpuRequestMakesUtilizationInvalid() {
        List<PodSample> pods = new ArrayList<>(pods("R500 R500", 1000L));
        pods.add(PodSample.ready("web-x", 500, null));
        Proposal p = ReplicaCalculator.utilization(3, pods, 50, "cpu", TOLERANCE);
        assertThat(p.valid()).isFalse();
        assertThat(p.error()).isEqualTo("missing request for cpu in container of Pod web-x");
    }

    @Test
    void noReadyPodMeansNoMetric() {
        assertThat(ReplicaCalculator.utilization(3, pods("U M U", 1000L), 50, "cpu", TOLERANCE).error())
                .isEqualTo("did not receive metrics for targeted pods (pods might be unready)");
        assertThat(ReplicaCalculator.averageValue(3, List.of(), 1000, TOLERANCE).error())
                .isEqualTo("no pods returned by selector while calculating replica count");
    }

    @Test
    void memoryInBytesDoesNotOverflow() {
        long tib = 1L << 40;
        Proposal p = ReplicaCalculator.utilization(4, pods("R" + tib + " R" + tib + " R" + tib + " R" + tib, tib / 2), 100, "memory", TOLERANCE);
        assertThat(p.current()).isEqualTo(200);
        assertThat(p.replicas()).isEqualTo(8);
    }

    /** 2,000 generated targets: the formula where every pod is ready, the invariants where some are not. */
    @Test
    void generatedTargetsFollowTheFormulaAndItsInvariants() {
        Random random = new Random(12);
        int checked = 0;
        for (int run = 0; run < 2000; run++) {
            int n = 1 + random.nextInt(20);
            long request = 100 + random.nextInt(1900);
            int target = 10 + random.nextInt(190);
            boolean allReady = random.nextBoolean();
            List<PodSample> pods = new ArrayList<>();
            long readySum = 0;
            int ready = 0, unready = 0, missing = 0, ignored = 0;
            for (int i = 0; i < n; i++) {
                int kind = allReady ? 0 : random.nextInt(6);
                long usage = random.nextInt(3 * (int) request);
                switch (kind) {
                    case 0, 1, 2 -> {
                        pods.add(PodSample.ready("p" + i, usage, request));
                        readySum += usage;
                        ready++;
                    }
                    case 3 -> { pods.add(PodSample.unready("p" + i, request)); unready++; }
                    case 4 -> { pods.add(PodSample.missing("p" + i, request)); missing++; }
                    default -> { pods.add(PodSample.ignored("p" + i, request)); ignored++; }
                }
            }
            int current = random.nextInt(4) == 0 ? 1 + random.nextInt(30) : n - ignored;
            if (current < 1) current = 1;
            Proposal p = ReplicaCalculator.utilization(current, pods, target, "cpu", TOLERANCE);
            String what = "run " + run + ": " + pods + " current " + current + " target " + target;
            if (ready == 0) {
                assertThat(p.valid()).as(what).isFalse();
                continue;
            }
            assertThat(p.valid()).as(what).isTrue();
            long utilization = readySum * 100 / (request * ready);
            double ratio = (double) utilization / target;
            assertThat(p.current()).as(what).isEqualTo(utilization);
            assertThat(p.replicas()).as(what).isGreaterThanOrEqualTo(0);
            boolean plain = missing == 0 && !(unready > 0 && ratio > 1.0);
            if (plain) {
                int expected = Math.abs(1.0 - ratio) <= TOLERANCE ? current : (int) Math.ceil(ratio * ready);
                assertThat(p.replicas()).as(what).isEqualTo(expected);
            } else {
                // Never the other way, never past what the ready pods' own usage justifies on a scale-up.
                if (ratio > 1.0) {
                    assertThat(p.replicas()).as(what).isGreaterThanOrEqualTo(current);
                    long justified = (long) Math.ceil(readySum * 100.0 / (request * (double) target));
                    assertThat(p.replicas()).as(what).isLessThanOrEqualTo((int) Math.max(current, justified));
                }
                if (ratio < 1.0) assertThat(p.replicas()).as(what).isLessThanOrEqualTo(current);
                if (ratio == 1.0) assertThat(p.replicas()).as(what).isEqualTo(current);
            }
            if (Math.abs(1.0 - ratio) <= TOLERANCE && missing == 0 && unready == 0) assertThat(p.replicas()).as(what).isEqualTo(current);
            checked++;
        }
        assertThat(checked).isGreaterThan(1500);
    }

    /** With every pod ready and counted, more usage never means fewer replicas. */
    @Test
    void moreUsageNeverProposesFewerReplicas() {
        Random random = new Random(7);
        for (int run = 0; run < 500; run++) {
            int n = 1 + random.nextInt(12);
            int target = 20 + random.nextInt(100);
            long[] usage = new long[n];
            for (int i = 0; i < n; i++) usage[i] = random.nextInt(2000);
            int before = ReplicaCalculator.utilization(n, ready(usage), target, "cpu", TOLERANCE).replicas();
            usage[random.nextInt(n)] += 1 + random.nextInt(500);
            int after = ReplicaCalculator.utilization(n, ready(usage), target, "cpu", TOLERANCE).replicas();
            assertThat(after).as("run %d", run).isGreaterThanOrEqualTo(before);
        }
    }

    /** AverageValue on generated all-ready targets: exactly ceil(ready × average / target) outside the tolerance. */
    @Test
    void generatedAverageValues() {
        Random random = new Random(99);
        for (int run = 0; run < 1000; run++) {
            int n = 1 + random.nextInt(15);
            long target = 1 + random.nextInt(50_000);
            long[] values = new long[n];
            long sum = 0;
            for (int i = 0; i < n; i++) sum += values[i] = random.nextInt(100_000);
            List<PodSample> pods = new ArrayList<>();
            for (int i = 0; i < n; i++) pods.add(PodSample.ready("p" + i, values[i], null));
            Proposal p = ReplicaCalculator.averageValue(n, pods, target, TOLERANCE);
            double ratio = (double) (sum / n) / target;
            int expected = Math.abs(1.0 - ratio) <= TOLERANCE ? n : (int) Math.ceil(ratio * n);
            assertThat(p.replicas()).as("run %d: %s target %d", run, pods, target).isEqualTo(expected);
        }
    }

    private static List<PodSample> ready(long[] usage) {
        List<PodSample> out = new ArrayList<>();
        for (int i = 0; i < usage.length; i++) out.add(PodSample.ready("p" + i, usage[i], 1000L));
        return out;
    }
}
