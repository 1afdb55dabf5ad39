package dev.berth.bus.contract;

/**
 * One metric an autoscaler follows (autoscaling/v2 MetricSpec, flattened): {@code type} Resource with
 * {@code name} cpu or memory, or Pods with {@code name} a per-pod metric (Berth's proxy provides
 * {@code requests_per_second}).
 */
public record MetricSpec(String type, String name, MetricTarget target) {
    public static final String RESOURCE = "Resource";
    public static final String PODS = "Pods";
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String REQUESTS_PER_SECOND = "requests_per_second";

    public static MetricSpec cpuUtilization(int percent) { return new MetricSpec(RESOURCE, CPU, MetricTarget.utilization(percent)); }

    public static MetricSpec requestsPerSecond(long averageMilli) {
        return new MetricSpec(PODS, REQUESTS_PER_SECOND, MetricTarget.averageValueMilli(averageMilli));
    }
}
