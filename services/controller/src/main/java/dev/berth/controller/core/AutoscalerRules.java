package dev.berth.controller.core;

import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HpaBehavior;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.MetricTarget;
import dev.berth.bus.contract.ScaleTargetRef;
import java.util.ArrayList;
import java.util.List;

/**
 * What Kubernetes' API server checks about a HorizontalPodAutoscaler (autoscaling/v2 validation), in its words. The
 * target Deployment need not exist: Kubernetes accepts the object and its controller reports the missing target.
 */
public final class AutoscalerRules {
    private AutoscalerRules() {}

    /** The problems of {@code spec}, each as {@code field: Invalid value: v: why}; empty when valid. */
    public static List<String> check(HorizontalPodAutoscalerSpec spec) {
        List<String> problems = new ArrayList<>();
        ScaleTargetRef ref = spec.scaleTargetRef();
        if (ref == null || ref.name() == null || ref.name().isBlank()) problems.add("spec.scaleTargetRef.name: Required value");
        else if (!ScaleTargetRef.DEPLOYMENT.equals(ref.kind())) {
            problems.add("spec.scaleTargetRef.kind: Unsupported value: \"" + ref.kind() + "\": supported values: \"Deployment\"");
        }
        int min = spec.minReplicasOrDefault();
        if (min < 1) problems.add("spec.minReplicas: Invalid value: " + min + ": must be greater than or equal to 1");
        if (spec.maxReplicas() < min) {
            problems.add("spec.maxReplicas: Invalid value: " + spec.maxReplicas() + ": must be greater than or equal to minReplicas");
        }
        for (int i = 0; i < spec.metrics().size(); i++) metric("spec.metrics[" + i + "]", spec.metrics().get(i), problems);
        HpaBehavior behavior = spec.behavior();
        if (behavior != null) {
            rules("spec.behavior.scaleUp", behavior.scaleUp(), problems);
            rules("spec.behavior.scaleDown", behavior.scaleDown(), problems);
        }
        return problems;
    }

    private static void metric(String at, MetricSpec m, List<String> problems) {
        if (!MetricSpec.RESOURCE.equals(m.type()) && !MetricSpec.PODS.equals(m.type())) {
            problems.add(at + ".type: Unsupported value: \"" + m.type() + "\": supported values: \"Pods\", \"Resource\"");
            return;
        }
        String source = MetricSpec.RESOURCE.equals(m.type()) ? at + ".resource" : at + ".pods";
        if (MetricSpec.RESOURCE.equals(m.type()) && !MetricSpec.CPU.equals(m.name()) && !MetricSpec.MEMORY.equals(m.name())) {
            problems.add(source + ".name: Unsupported value: \"" + m.name() + "\": supported values: \"cpu\", \"memory\"");
        }
        MetricTarget t = m.target();
        if (t == null) {
            problems.add(source + ".target: Required value");
            return;
        }
        if (MetricTarget.UTILIZATION.equals(t.type())) {
            if (!MetricSpec.RESOURCE.equals(m.type())) {
                problems.add(source + ".target.type: Invalid value: \"Utilization\": must be AverageValue for a Pods metric");
            } else if (t.averageUtilization() == null) {
                problems.add(source + ".target.averageUtilization: Required value: must be set when type is Utilization");
            } else if (t.averageUtilization() < 1) {
                problems.add(source + ".target.averageUtilization: Invalid value: " + t.averageUtilization() + ": must be greater than 0");
            }
            if (t.averageValueMilli() != null) problems.add(source + ".target.averageValue: Forbidden: may not be set when type is Utilization");
        } else if (MetricTarget.AVERAGE_VALUE.equals(t.type())) {
            if (t.averageValueMilli() == null) problems.add(source + ".target.averageValue: Required value: must be set when type is AverageValue");
            else if (t.averageValueMilli() <= 0) problems.add(source + ".target.averageValue: Invalid value: " + t.averageValueMilli() + "m: must be positive");
            if (t.averageUtilization() != null) {
                problems.add(source + ".target.averageUtilization: Forbidden: may not be set when type is AverageValue");
            }
        } else {
            problems.add(source + ".target.type: Unsupported value: \"" + t.type() + "\": supported values: \"AverageValue\", \"Utilization\"");
        }
    }

    private static void rules(String at, HpaScalingRules r, List<String> problems) {
        if (r == null) return;
        Integer window = r.stabilizationWindowSeconds();
        if (window != null && (window < 0 || window > 3600)) {
            problems.add(at + ".stabilizationWindowSeconds: Invalid value: " + window + ": must be less than or equal to 3600 and greater than or equal to 0");
        }
        if (r.selectPolicy() != null && !List.of(HpaScalingRules.MAX, HpaScalingRules.MIN, HpaScalingRules.DISABLED).contains(r.selectPolicy())) {
            problems.add(at + ".selectPolicy: Unsupported value: \"" + r.selectPolicy() + "\": supported values: \"Disabled\", \"Max\", \"Min\"");
        }
        if (r.policies() == null) return;
        for (int i = 0; i < r.policies().size(); i++) {
            HpaScalingPolicy p = r.policies().get(i);
            String pat = at + ".policies[" + i + "]";
            if (!HpaScalingPolicy.PODS.equals(p.type()) && !HpaScalingPolicy.PERCENT.equals(p.type())) {
                problems.add(pat + ".type: Unsupported value: \"" + p.type() + "\": supported values: \"Percent\", \"Pods\"");
            }
            if (p.value() <= 0) problems.add(pat + ".value: Invalid value: " + p.value() + ": must be greater than zero");
            if (p.periodSeconds() <= 0 || p.periodSeconds() > 1800) {
                problems.add(pat + ".periodSeconds: Invalid value: " + p.periodSeconds() + ": must be greater than zero and less than or equal to 1800");
            }
        }
    }

    /** Kubernetes' answer for an invalid object: one problem after the colon, several in brackets. */
    public static String invalid(String name, List<String> problems) {
        String what = problems.size() == 1 ? problems.get(0) : "[" + String.join(", ", problems) + "]";
        return "HorizontalPodAutoscaler.autoscaling \"" + name + "\" is invalid: " + what;
    }

    static String notFound(String name) { return "horizontalpodautoscalers.autoscaling \"" + name + "\" not found"; }
}
