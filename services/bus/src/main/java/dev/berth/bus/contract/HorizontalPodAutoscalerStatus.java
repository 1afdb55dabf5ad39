package dev.berth.bus.contract;

import java.time.Instant;
import java.util.List;

/**
 * What an autoscaler last saw and decided, published by the autoscaler on berth.autoscaler-status when it
 * changes: replicas, each metric's current value, conditions, and {@code reason}, the last decision in words
 * (with the metric values it was taken on). {@code lastScaleTime} is absent until it has scaled.
 */
public record HorizontalPodAutoscalerStatus(String namespace, String name, Instant at, int currentReplicas, int desiredReplicas,
                                            List<MetricStatus> currentMetrics, List<HpaCondition> conditions, Instant lastScaleTime,
                                            String reason) implements Event {
    public HorizontalPodAutoscalerStatus {
        namespace = Namespaces.orDefault(namespace);
        currentMetrics = currentMetrics == null ? List.of() : List.copyOf(currentMetrics);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    public String key() { return Namespaces.key(namespace, name); }
}
