package dev.berth.bus.contract;

import java.time.Instant;
import java.util.List;

/** A node's proxy's counters per Service, published every few seconds on berth.proxy-metrics keyed by node. */
public record ProxyMetrics(String node, Instant at, List<ServiceTraffic> services) implements Event {
    public ProxyMetrics {
        services = services == null ? List.of() : List.copyOf(services);
    }
}
