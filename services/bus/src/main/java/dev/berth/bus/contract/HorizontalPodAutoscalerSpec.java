package dev.berth.bus.contract;

import java.util.List;

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) as Berth keeps it: the target Deployment, the replica bounds, the
 * metrics and the behaviour. {@link #withDefaults()} fills in what Kubernetes' API server defaults (minReplicas 1,
 * cpu at 80 % of requests, the default behaviour); the controller stores the defaulted form.
 */
public record HorizontalPodAutoscalerSpec(String namespace, String name, ScaleTargetRef scaleTargetRef, Integer minReplicas,
                                          int maxReplicas, List<MetricSpec> metrics, HpaBehavior behavior) {
    public static final int DEFAULT_CPU_UTILIZATION = 80;

    public HorizontalPodAutoscalerSpec {
        namespace = Namespaces.orDefault(namespace);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    public String key() { return Namespaces.key(namespace, name); }

    /** The target Deployment's key (namespace/name; bare name in default). */
    public String targetKey() { return Namespaces.key(namespace, scaleTargetRef == null ? null : scaleTargetRef.name()); }

    public HorizontalPodAutoscalerSpec withDefaults() {
        return new HorizontalPodAutoscalerSpec(namespace, name, scaleTargetRef, minReplicas == null ? 1 : minReplicas, maxReplicas,
                metrics.isEmpty() ? List.of(MetricSpec.cpuUtilization(DEFAULT_CPU_UTILIZATION)) : metrics,
                behavior == null ? HpaBehavior.defaults() : behavior.orDefaults());
    }

    public int minReplicasOrDefault() { return minReplicas == null ? 1 : minReplicas; }
}
