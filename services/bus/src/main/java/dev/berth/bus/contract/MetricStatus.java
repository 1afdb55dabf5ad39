package dev.berth.bus.contract;

/** A metric's current value as the autoscaler last computed it (autoscaling/v2 MetricStatus, flattened like MetricSpec). */
public record MetricStatus(String type, String name, Integer averageUtilization, Long averageValueMilli) {
}
