package dev.berth.autoscaler.core;

import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HpaCondition;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.MetricStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One autoscaler evaluation, as Kubernetes' reconcileAutoscaler: the target's replicas, each metric's proposal (the
 * largest wins; when every metric is invalid, or some are and the rest would scale down, nothing changes), the
 * min/max bounds, then {@link Behaviors}. Pure: the pods' samples, the recommendations and scale events and the time
 * come in as data. The conditions it returns are the ones it sets; others keep their last value (setCondition).
 */
public final class Evaluation {
    public static final String TRUE = "True", FALSE = "False";

    private Evaluation() {}

    /** What the evaluation sees: the spec (defaults filled in), the target's replicas (null: no such Deployment), the samples per metric. */
    public record Input(HorizontalPodAutoscalerSpec spec, Integer currentReplicas, List<List<PodSample>> samples,
                        List<Recommendation> recommendations, List<ScaleEvent> upEvents, List<ScaleEvent> downEvents,
                        Instant now, double tolerance) {
        public Input {
            samples = List.copyOf(samples);
            upEvents = List.copyOf(upEvents);
            downEvents = List.copyOf(downEvents);
            if (samples.size() != spec.metrics().size()) throw new IllegalArgumentException("one list of samples per metric");
        }
    }

    /**
     * The outcome: replicas now and wanted, whether to scale, each metric's value, the conditions set (without their
     * transition times, which the caller keeps), the decision in words with the metric values, the recommendations to keep.
     */
    public record Result(int currentReplicas, int desiredReplicas, boolean rescale, List<MetricStatus> currentMetrics,
                         List<HpaCondition> conditions, String decision, List<Recommendation> recommendations) {}

    public static Result evaluate(Input in) {
        HorizontalPodAutoscalerSpec spec = in.spec();
        List<Recommendation> recommendations = in.recommendations();
        if (in.currentReplicas() == null) {
            String target = spec.scaleTargetRef() == null ? "" : spec.scaleTargetRef().name();
            String message = "the HPA controller was unable to get the target's current scale: deployments.apps \"" + target + "\" not found";
            return new Result(0, 0, false, List.of(), List.of(condition(HpaCondition.ABLE_TO_SCALE, FALSE, "FailedGetScale", message)),
                    "Not scaling: " + message, recommendations == null ? List.of() : recommendations);
        }
        int current = in.currentReplicas();
        int min = spec.minReplicasOrDefault(), max = spec.maxReplicas();
        // Kubernetes seeds the history with the current size: no scale-down within the window of the first evaluation.
        if (recommendations == null) recommendations = List.of(Recommendation.of(in.now(), current));
        List<HpaCondition> set = new ArrayList<>();
        set.add(condition(HpaCondition.ABLE_TO_SCALE, TRUE, "SucceededGetScale", "the HPA controller was able to get the target's current scale"));
        if (current == 0) {
            set.add(condition(HpaCondition.SCALING_ACTIVE, FALSE, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero"));
            return new Result(0, 0, false, List.of(), set, "Not scaling: the target has 0 replicas (scaling is disabled)", recommendations);
        }
        if (current > max) {
            set.add(condition(HpaCondition.SCALING_LIMITED, TRUE, "TooManyReplicas", "the desired replica count is more than the maximum replica count"));
            return new Result(current, max, true, List.of(), set, "New size: " + max + "; reason: Current number of replicas above Spec.MaxReplicas",
                    recommendations);
        }
        if (current < min) {
            set.add(condition(HpaCondition.SCALING_LIMITED, TRUE, "TooFewReplicas", "the desired replica count is less than the minimum replica count"));
            return new Result(current, min, true, List.of(), set, "New size: " + min + "; reason: Current number of replicas below Spec.MinReplicas",
                    recommendations);
        }

        List<MetricStatus> statuses = new ArrayList<>();
        List<String> values = new ArrayList<>();
        int proposed = 0, invalid = 0;
        MetricSpec winner = null;
        long winnerValue = 0;
        String firstError = null;
        MetricSpec firstInvalid = null;
        for (int i = 0; i < spec.metrics().size(); i++) {
            MetricSpec m = spec.metrics().get(i);
            Proposal p = propose(m, current, in.samples().get(i), in.tolerance());
            if (!p.valid()) {
                invalid++;
                if (firstError == null) {
                    firstError = p.error();
                    firstInvalid = m;
                }
                statuses.add(new MetricStatus(m.type(), m.name(), null, null));
                continue;
            }
            boolean util = MetricText.utilization(m);
            statuses.add(new MetricStatus(m.type(), m.name(), util ? (int) Math.min(Integer.MAX_VALUE, p.current()) : null, util ? null : p.current()));
            values.add(MetricText.name(m) + " " + MetricText.values(m, p.current()));
            if (winner == null || p.replicas() > proposed) {
                proposed = p.replicas();
                winner = m;
                winnerValue = p.current();
            }
        }
        if (invalid >= spec.metrics().size() || (invalid > 0 && proposed < current)) {
            String what = MetricSpec.RESOURCE.equals(firstInvalid.type()) ? "FailedGetResourceMetric" : "FailedGetPodsMetric";
            String message = "the HPA was unable to compute the replica count: failed to get " + MetricText.name(firstInvalid) + ": " + firstError;
            set.add(condition(HpaCondition.SCALING_ACTIVE, FALSE, what, message));
            return new Result(current, current, false, statuses, set, "Size " + current + " kept: " + message, recommendations);
        }
        set.add(condition(HpaCondition.SCALING_ACTIVE, TRUE, "ValidMetricFound",
                "the HPA was able to successfully calculate a replica count from " + MetricText.name(winner)));
        Behaviors.Normalized n = Behaviors.normalize(spec.behavior(), min, max, current, proposed, recommendations, in.upEvents(),
                in.downEvents(), in.now());
        set.set(0, condition(HpaCondition.ABLE_TO_SCALE, TRUE, n.stabilizedReason(), n.stabilizedMessage()));
        set.add(condition(HpaCondition.SCALING_LIMITED, n.limited() ? TRUE : FALSE, n.limitReason(), n.limitMessage()));
        int desired = n.replicas();
        String decision;
        if (desired > current) {
            decision = "New size: " + desired + "; reason: " + MetricText.name(winner) + " above target (" + MetricText.values(winner, winnerValue) + ")";
        } else if (desired < current) {
            decision = "New size: " + desired + "; reason: All metrics below target (" + String.join(", ", values) + ")";
        } else {
            decision = "Size " + current + " kept (" + String.join(", ", values) + ")"
                    + (proposed != current ? "; " + (n.limited() ? n.limitMessage() : n.stabilizedMessage()) : "");
        }
        return new Result(current, desired, desired != current, statuses, set, decision, n.recommendations());
    }

    /** One metric's proposal from its samples (the target type decides the formula). */
    static Proposal propose(MetricSpec m, int current, List<PodSample> samples, double tolerance) {
        if (MetricText.utilization(m)) {
            if (!MetricSpec.RESOURCE.equals(m.type())) return Proposal.invalid("Utilization is only for Resource metrics");
            return ReplicaCalculator.utilization(current, samples, m.target().averageUtilization(), m.name(), tolerance);
        }
        return ReplicaCalculator.averageValue(current, samples, m.target().averageValueMilli(), tolerance);
    }

    static HpaCondition condition(String type, String status, String reason, String message) {
        return new HpaCondition(type, status, reason, message, null);
    }
}
