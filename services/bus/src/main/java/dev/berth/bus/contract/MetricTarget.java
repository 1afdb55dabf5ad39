package dev.berth.bus.contract;

/**
 * An autoscaler metric's target (autoscaling/v2 MetricTarget): {@code Utilization} in percent of the pods'
 * requests (Resource metrics only), or {@code AverageValue} per pod. Values travel in milli-units (a Kubernetes
 * quantity's MilliValue: cpu "500m" is 500, memory "1Mi" is 1048576000, requests_per_second "10" is 10000) so no
 * service parses quantities.
 */
public record MetricTarget(String type, Integer averageUtilization, Long averageValueMilli) {
    public static final String UTILIZATION = "Utilization";
    public static final String AVERAGE_VALUE = "AverageValue";

    public static MetricTarget utilization(int percent) { return new MetricTarget(UTILIZATION, percent, null); }

    public static MetricTarget averageValueMilli(long milli) { return new MetricTarget(AVERAGE_VALUE, null, milli); }
}
