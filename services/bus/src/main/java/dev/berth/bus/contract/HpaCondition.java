package dev.berth.bus.contract;

import java.time.Instant;

/** An autoscaler condition as Kubernetes names them: AbleToScale, ScalingActive, ScalingLimited; status True/False/Unknown. */
public record HpaCondition(String type, String status, String reason, String message, Instant lastTransitionTime) {
    public static final String ABLE_TO_SCALE = "AbleToScale";
    public static final String SCALING_ACTIVE = "ScalingActive";
    public static final String SCALING_LIMITED = "ScalingLimited";
}
