package dev.berth.autoscaler.core;

import dev.berth.bus.contract.HpaBehavior;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * autoscaling/v2 {@code behavior} as Kubernetes' horizontal.go applies it (normalizeDesiredReplicasWithBehaviors):
 * first the stabilization windows — the recommendation is held between the lowest recommendation of the scale-up
 * window and the highest of the scale-down window — then the rate policies — per direction, each policy allows
 * {@code Pods} replicas or {@code Percent} of the replicas at the start of its period, counting the scale events of
 * the period; {@code selectPolicy} Max takes the policy allowing the largest change, Min the smallest, Disabled
 * none — and the min/max bounds. Pure: the recommendations and events come in and go out as data.
 */
public final class Behaviors {
    /**
     * Recommendations within the same stretch of this length are merged into one {@link Recommendation} entry, dated
     * by the latest: a value then lives less than this much longer than its window.
     */
    public static final Duration MERGE = Duration.ofSeconds(1);

    private Behaviors() {}

    /** The replicas to go to, why (AbleToScale and ScalingLimited reasons and messages), and the recommendations to keep. */
    public record Normalized(int replicas, String stabilizedReason, String stabilizedMessage, boolean limited, String limitReason,
                             String limitMessage, List<Recommendation> recommendations) {}

    public static Normalized normalize(HpaBehavior behavior, int minReplicas, int maxReplicas, int currentReplicas, int proposed,
                                       List<Recommendation> recommendations, List<ScaleEvent> upEvents, List<ScaleEvent> downEvents,
                                       Instant now) {
        HpaScalingRules up = behavior.scaleUp(), down = behavior.scaleDown();
        Instant upCutoff = now.minusSeconds(window(up)), downCutoff = now.minusSeconds(window(down));
        int upRecommendation = proposed, downRecommendation = proposed;
        for (Recommendation r : recommendations) {
            if (r.at().isAfter(upCutoff)) upRecommendation = Math.min(upRecommendation, r.lowest());
            if (r.at().isAfter(downCutoff)) downRecommendation = Math.max(downRecommendation, r.highest());
        }
        int stabilized = Math.min(Math.max(currentReplicas, upRecommendation), downRecommendation);
        String reason, message;
        if (stabilized == proposed) {
            reason = "ReadyForNewScale";
            message = "recommended size matches current size";
        } else if (proposed >= currentReplicas) {
            reason = "ScaleUpStabilized";
            message = "recent recommendations were lower than current one, applying the lowest recent recommendation";
        } else {
            reason = "ScaleDownStabilized";
            message = "recent recommendations were higher than current one, applying the highest recent recommendation";
        }
        List<Recommendation> kept = record(recommendations, proposed, now, upCutoff.isBefore(downCutoff) ? upCutoff : downCutoff);

        int replicas = stabilized;
        String limitReason = "DesiredWithinRange", limitMessage = "the desired count is within the acceptable range";
        if (stabilized > currentReplicas) {
            int limit = Math.max(currentReplicas, scaleUpLimit(currentReplicas, upEvents, up, now));
            int allowed = maxReplicas;
            String r, m;
            if (allowed > limit) {
                allowed = limit;
                r = "ScaleUpLimit";
                m = "the desired replica count is increasing faster than the maximum scale rate";
            } else {
                r = "TooManyReplicas";
                m = "the desired replica count is more than the maximum replica count";
            }
            if (stabilized > allowed) {
                replicas = allowed;
                limitReason = r;
                limitMessage = m;
            }
        } else if (stabilized < currentReplicas) {
            int limit = Math.min(currentReplicas, scaleDownLimit(currentReplicas, downEvents, down, now));
            int allowed = minReplicas;
            String r, m;
            if (allowed < limit) {
                allowed = limit;
                r = "ScaleDownLimit";
                m = "the desired replica count is decreasing faster than the maximum scale rate";
            } else {
                r = "TooFewReplicas";
                m = "the desired replica count is less than the minimum replica count";
            }
            if (stabilized < allowed) {
                replicas = allowed;
                limitReason = r;
                limitMessage = m;
            }
        }
        return new Normalized(replicas, reason, message, replicas != stabilized, limitReason, limitMessage, kept);
    }

    /** The highest count a scale-up may reach now (calculateScaleUpLimitWithScalingRules). */
    static int scaleUpLimit(int currentReplicas, List<ScaleEvent> events, HpaScalingRules rules, Instant now) {
        if (HpaScalingRules.DISABLED.equals(rules.selectPolicy())) return currentReplicas;
        boolean min = HpaScalingRules.MIN.equals(rules.selectPolicy());
        long result = min ? Long.MAX_VALUE : Long.MIN_VALUE;
        for (HpaScalingPolicy p : rules.policies()) {
            long periodStart = currentReplicas - changeInPeriod(events, p.periodSeconds(), now);
            long proposed = HpaScalingPolicy.PODS.equals(p.type()) ? periodStart + p.value()
                    : (long) Math.ceil(periodStart * (1 + p.value() / 100.0));
            result = min ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result));
    }

    /** The lowest count a scale-down may reach now (calculateScaleDownLimitWithBehaviors). */
    static int scaleDownLimit(int currentReplicas, List<ScaleEvent> events, HpaScalingRules rules, Instant now) {
        if (HpaScalingRules.DISABLED.equals(rules.selectPolicy())) return currentReplicas;
        boolean min = HpaScalingRules.MIN.equals(rules.selectPolicy());
        long result = min ? Long.MIN_VALUE : Long.MAX_VALUE;
        for (HpaScalingPolicy p : rules.policies()) {
            long periodStart = currentReplicas + changeInPeriod(events, p.periodSeconds(), now);
            long proposed = HpaScalingPolicy.PODS.equals(p.type()) ? periodStart - p.value()
                    : (long) (periodStart * (1 - p.value() / 100.0));
            result = min ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result));
    }

    /** Replicas changed by the events of the last {@code periodSeconds} (getReplicasChangePerPeriod). */
    static long changeInPeriod(List<ScaleEvent> events, int periodSeconds, Instant now) {
        Instant cutoff = now.minusSeconds(periodSeconds);
        long change = 0;
        for (ScaleEvent e : events) if (e.at().isAfter(cutoff)) change += e.change();
        return change;
    }

    /** The recommendations after this one: merged into the last entry if that is recent, older than both windows dropped. */
    static List<Recommendation> record(List<Recommendation> recommendations, int proposed, Instant now, Instant oldestCutoff) {
        List<Recommendation> kept = new ArrayList<>(recommendations.size() + 1);
        for (Recommendation r : recommendations) if (r.at().isAfter(oldestCutoff)) kept.add(r);
        Recommendation last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
        if (last != null && !now.isBefore(last.at()) && bucket(last.at()) == bucket(now)) {
            kept.set(kept.size() - 1, new Recommendation(now, Math.min(last.lowest(), proposed), Math.max(last.highest(), proposed)));
        } else {
            kept.add(Recommendation.of(now, proposed));
        }
        return List.copyOf(kept);
    }

    /** Events still inside the longest period of {@code rules}' policies: older ones can never count again. */
    public static List<ScaleEvent> prune(List<ScaleEvent> events, HpaScalingRules rules, Instant now) {
        int longest = 0;
        for (HpaScalingPolicy p : rules.policies()) longest = Math.max(longest, p.periodSeconds());
        Instant cutoff = now.minusSeconds(longest);
        List<ScaleEvent> kept = new ArrayList<>(events.size());
        for (ScaleEvent e : events) if (e.at().isAfter(cutoff)) kept.add(e);
        return List.copyOf(kept);
    }

    private static long bucket(Instant at) { return Math.floorDiv(at.toEpochMilli(), MERGE.toMillis()); }

    private static int window(HpaScalingRules r) {
        return r.stabilizationWindowSeconds() == null ? 0 : r.stabilizationWindowSeconds();
    }
}
