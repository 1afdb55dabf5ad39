package dev.berth.bus.contract;

import java.util.List;

/**
 * How fast one direction may go (autoscaling/v2 HPAScalingRules): the stabilization window, the policies, and
 * which of them wins ({@code Max}, {@code Min}, or {@code Disabled} to forbid this direction).
 */
public record HpaScalingRules(Integer stabilizationWindowSeconds, String selectPolicy, List<HpaScalingPolicy> policies) {
    public static final String MAX = "Max";
    public static final String MIN = "Min";
    public static final String DISABLED = "Disabled";

    public HpaScalingRules {
        policies = policies == null ? null : List.copyOf(policies);
    }

    /** Kubernetes' scale-up default: no window; at most double, or 4 pods, per 15 s, whichever is more. */
    public static HpaScalingRules defaultScaleUp() {
        return new HpaScalingRules(0, MAX, List.of(new HpaScalingPolicy(HpaScalingPolicy.PERCENT, 100, 15),
                new HpaScalingPolicy(HpaScalingPolicy.PODS, 4, 15)));
    }

    /** Kubernetes' scale-down default: a 300 s window; any number of pods per 15 s. */
    public static HpaScalingRules defaultScaleDown() {
        return new HpaScalingRules(300, MAX, List.of(new HpaScalingPolicy(HpaScalingPolicy.PERCENT, 100, 15)));
    }

    /** These rules with every absent field taken from {@code defaults}, as the API server fills them in. */
    public HpaScalingRules orDefaults(HpaScalingRules defaults) {
        return new HpaScalingRules(stabilizationWindowSeconds == null ? defaults.stabilizationWindowSeconds : stabilizationWindowSeconds,
                selectPolicy == null ? defaults.selectPolicy : selectPolicy, policies == null || policies.isEmpty() ? defaults.policies : policies);
    }
}
