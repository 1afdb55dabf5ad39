package dev.berth.autoscaler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HpaBehavior;
import dev.berth.bus.contract.HpaCondition;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.MetricTarget;
import dev.berth.bus.contract.ScaleTargetRef;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One evaluation as Kubernetes' reconcileAutoscaler: the target, the metrics (largest wins), min/max, conditions, the reason. */
class EvaluationTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    /** No windows, generous rates: what the metrics say, within min..max. */
    static final HpaBehavior FREE = new HpaBehavior(new HpaScalingRules(0, "Max", List.of(new HpaScalingPolicy("Percent", 1000, 15))),
            new HpaScalingRules(0, "Max", List.of(new HpaScalingPolicy("Percent", 100, 15))));

    static HorizontalPodAutoscalerSpec spec(int min, int max, HpaBehavior behavior, MetricSpec... metrics) {
        return new HorizontalPodAutoscalerSpec("default", "web", ScaleTargetRef.deployment("web"), min, max, List.of(metrics), behavior).withDefaults();
    }

    static Evaluation.Result run(HorizontalPodAutoscalerSpec spec, Integer current, List<Recommendation> recs, List<List<PodSample>> samples) {
        return Evaluation.evaluate(new Evaluation.Input(spec, current, samples, recs, List.of(), List.of(), NOW, 0.1));
    }

    static HpaCondition condition(Evaluation.Result r, String type) {
        return r.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void scalesUpAndSaysOnWhichValues() {
        var r = run(spec(1, 10, FREE, MetricSpec.cpuUtilization(50)), 2, List.of(),
                List.of(ReplicaCalculatorTest.pods("R800 R800", 500L)));
        assertThat(r.desiredReplicas()).isEqualTo(7); // 160 % of 50 %: ceil(3.2 × 2)
        assertThat(r.rescale()).isTrue();
        assertThat(r.decision()).isEqualTo("New size: 7; reason: cpu resource utilization (percentage of request) above target (160%/50%)");
        assertThat(r.currentMetrics().get(0).averageUtilization()).isEqualTo(160);
        assertThat(condition(r, HpaCondition.SCALING_ACTIVE).reason()).isEqualTo("ValidMetricFound");
        assertThat(condition(r, HpaCondition.SCALING_LIMITED).reason()).isEqualTo("DesiredWithinRange");
    }

    @Test
    void scalesDownNamingEveryMetric() {
        var r = run(spec(1, 10, FREE, MetricSpec.cpuUtilization(50), MetricSpec.requestsPerSecond(10_000)), 4, List.of(),
                List.of(ReplicaCalculatorTest.pods("R100 R100 R100 R100", 1000L), ReplicaCalculatorTest.pods("R2000 R2000 R2000 R2000", null)));
        assertThat(r.desiredReplicas()).isEqualTo(1);
        assertThat(r.decision()).isEqualTo("New size: 1; reason: All metrics below target (cpu resource utilization (percentage of request) 10%/50%,"
                + " pods metric requests_per_second 2/10)");
    }

    @Test
    void theLargestProposalWins() {
        var r = run(spec(1, 20, FREE, MetricSpec.cpuUtilization(50), MetricSpec.requestsPerSecond(10_000)), 2, List.of(),
                List.of(ReplicaCalculatorTest.pods("R600 R600", 1000L), ReplicaCalculatorTest.pods("R50000 R50000", null)));
        assertThat(r.desiredReplicas()).isEqualTo(10); // cpu says 3, requests 5 × 2
        assertThat(r.decision()).contains("pods metric requests_per_second above target (50/10)");
    }

    @Test
    void anInvalidMetricBlocksAScaleDownButNotAScaleUp() {
        MetricSpec memory = new MetricSpec("Resource", "memory", MetricTarget.utilization(60));
        List<PodSample> noRequest = ReplicaCalculatorTest.pods("R100 R100", null);
        var up = run(spec(1, 10, FREE, MetricSpec.cpuUtilization(50), memory), 2, List.of(),
                List.of(ReplicaCalculatorTest.pods("R900 R900", 1000L), noRequest));
        assertThat(up.desiredReplicas()).isEqualTo(4);
        var down = run(spec(1, 10, FREE, MetricSpec.cpuUtilization(50), memory), 4, List.of(),
                List.of(ReplicaCalculatorTest.pods("R10 R10 R10 R10", 1000L), noRequest));
        assertThat(down.rescale()).isFalse();
        assertThat(down.desiredReplicas()).isEqualTo(4);
        HpaCondition active = condition(down, HpaCondition.SCALING_ACTIVE);
        assertThat(active.status()).isEqualTo("False");
        assertThat(active.reason()).isEqualTo("FailedGetResourceMetric");
        assertThat(active.message()).contains("missing request for memory in container of Pod p0");
    }

    @Test
    void withoutCpuRequestsScalingIsInactive() {
        var r = run(spec(1, 10, FREE, MetricSpec.cpuUtilization(50)), 2, List.of(), List.of(ReplicaCalculatorTest.pods("R800 R800", null)));
        assertThat(r.rescale()).isFalse();
        assertThat(condition(r, HpaCondition.SCALING_ACTIVE).reason()).isEqualTo("FailedGetResourceMetric");
        var pods = run(spec(1, 10, FREE, MetricSpec.requestsPerSecond(1000)), 2, List.of(), List.of(ReplicaCalculatorTest.pods("M M", null)));
        assertThat(condition(pods, HpaCondition.SCALING_ACTIVE).reason()).isEqualTo("FailedGetPodsMetric");
    }

    @Test
    void aMissingDeploymentCannotBeScaled() {
        var r = run(spec(1, 10, FREE, MetricSpec.cpuUtilization(50)), null, List.of(), List.of(List.of()));
        HpaCondition able = condition(r, HpaCondition.ABLE_TO_SCALE);
        assertThat(able.status()).isEqualTo("False");
        assertThat(able.reason()).isEqualTo("FailedGetScale");
        assertThat(able.message()).contains("deployments.apps \"web\" not found");
        assertThat(r.rescale()).isFalse();
    }

    @Test
    void zeroReplicasDisableScaling() {
        var r = run(spec(1, 10, FREE, MetricSpec.cpuUtilization(50)), 0, List.of(), List.of(List.of()));
        assertThat(r.rescale()).isFalse();
        assertThat(condition(r, HpaCondition.SCALING_ACTIVE).reason()).isEqualTo("ScalingDisabled");
    }

    @Test
    void outsideTheBoundsGoesToTheBoundWhateverTheMetrics() {
        var above = run(spec(2, 5, FREE, MetricSpec.cpuUtilization(50)), 9, List.of(), List.of(List.of()));
        assertThat(above.desiredReplicas()).isEqualTo(5);
        assertThat(above.decision()).isEqualTo("New size: 5; reason: Current number of replicas above Spec.MaxReplicas");
        var below = run(spec(2, 5, FREE, MetricSpec.cpuUtilization(50)), 1, List.of(), List.of(List.of()));
        assertThat(below.desiredReplicas()).isEqualTo(2);
        assertThat(condition(below, HpaCondition.SCALING_LIMITED).reason()).isEqualTo("TooFewReplicas");
    }

    @Test
    void theFirstEvaluationHoldsTheCurrentSizeForTheScaleDownWindow() {
        var spec = spec(1, 10, null, MetricSpec.cpuUtilization(50)); // Kubernetes' defaults: 300 s down window
        var first = run(spec, 4, null, List.of(ReplicaCalculatorTest.pods("R10 R10 R10 R10", 1000L)));
        assertThat(first.rescale()).isFalse();
        assertThat(condition(first, HpaCondition.ABLE_TO_SCALE).reason()).isEqualTo("ScaleDownStabilized");
        assertThat(first.decision()).startsWith("Size 4 kept (cpu resource utilization (percentage of request) 1%/50%)");
        var later = Evaluation.evaluate(new Evaluation.Input(spec, 4, List.of(ReplicaCalculatorTest.pods("R10 R10 R10 R10", 1000L)),
                first.recommendations(), List.of(), List.of(), NOW.plusSeconds(301), 0.1));
        assertThat(later.desiredReplicas()).isEqualTo(1);
    }

    @Test
    void withinToleranceNothingChanges() {
        var r = run(spec(1, 10, FREE, MetricSpec.cpuUtilization(50)), 3, List.of(), List.of(ReplicaCalculatorTest.pods("R520 R530 R540", 1000L)));
        assertThat(r.rescale()).isFalse();
        assertThat(condition(r, HpaCondition.ABLE_TO_SCALE).reason()).isEqualTo("ReadyForNewScale");
        assertThat(r.decision()).isEqualTo("Size 3 kept (cpu resource utilization (percentage of request) 53%/50%)");
    }

    @Test
    void quantitiesReadAsKubernetesWritesThem() {
        assertThat(MetricText.values(new MetricSpec("Resource", "memory", MetricTarget.averageValueMilli(256L * 1024 * 1024 * 1000)),
                300L * 1024 * 1024 * 1000)).isEqualTo("300Mi/256Mi");
        assertThat(MetricText.values(new MetricSpec("Resource", "cpu", MetricTarget.averageValueMilli(100)), 250)).isEqualTo("250m/100m");
        assertThat(MetricText.values(MetricSpec.requestsPerSecond(10_000), 12_500)).isEqualTo("12500m/10");
    }
}
