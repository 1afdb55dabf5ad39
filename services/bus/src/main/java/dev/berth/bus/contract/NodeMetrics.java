package dev.berth.bus.contract;

import java.time.Instant;
import java.util.List;

/**
 * A node's resource usage sample, published every few seconds on berth.resource-metrics keyed by node (the
 * metrics-server's NodeMetrics and PodMetrics in one record): CPU rates are over {@code windowMillis} ending
 * at {@code at}; the node's own figures include everything running on it, not only pods.
 */
public record NodeMetrics(String node, Instant at, long windowMillis, long cpuMillicores, long memoryWorkingSetBytes,
                          List<PodMetrics> pods) implements Event {
    public NodeMetrics {
        pods = pods == null ? List.of() : List.copyOf(pods);
    }
}
