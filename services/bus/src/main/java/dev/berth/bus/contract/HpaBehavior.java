package dev.berth.bus.contract;

/** Scale-up and scale-down rules (autoscaling/v2 HorizontalPodAutoscalerBehavior); absent parts take Kubernetes' defaults. */
public record HpaBehavior(HpaScalingRules scaleUp, HpaScalingRules scaleDown) {
    public static HpaBehavior defaults() { return new HpaBehavior(HpaScalingRules.defaultScaleUp(), HpaScalingRules.defaultScaleDown()); }

    public HpaBehavior orDefaults() {
        return new HpaBehavior(scaleUp == null ? HpaScalingRules.defaultScaleUp() : scaleUp.orDefaults(HpaScalingRules.defaultScaleUp()),
                scaleDown == null ? HpaScalingRules.defaultScaleDown() : scaleDown.orDefaults(HpaScalingRules.defaultScaleDown()));
    }
}
