package dev.berth.bus.contract;

/** At most {@code value} pods (type Pods) or percent of the current replicas (type Percent) per {@code periodSeconds}. */
public record HpaScalingPolicy(String type, int value, int periodSeconds) {
    public static final String PODS = "Pods";
    public static final String PERCENT = "Percent";
}
