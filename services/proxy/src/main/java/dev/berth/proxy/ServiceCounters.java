package dev.berth.proxy;

import dev.berth.proxy.core.Balancer;
import dev.berth.proxy.core.EndpointAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Service's counters and those of each endpoint it has connected to. Endpoint counters are
 * also the load the balancer compares; an endpoint removed from the Service keeps its counters
 * while it still has connections (it drains), then they are dropped.
 */
final class ServiceCounters {
    final Counters service = new Counters();
    private final Map<EndpointAddress, Counters> endpoints = new ConcurrentHashMap<>();
    private volatile Refusal lastRefusal;

    record Refusal(String reason, Instant at) {}

    final Balancer.Load load = new Balancer.Load() {
        @Override
        public long active(EndpointAddress endpoint) {
            Counters c = endpoints.get(endpoint);
            return c == null ? 0 : c.active.get();
        }

        @Override
        public long total(EndpointAddress endpoint) {
            Counters c = endpoints.get(endpoint);
            return c == null ? 0 : c.total.sum();
        }
    };

    /** Endpoints ejected now after consecutive connect failures ({@link dev.berth.proxy.core.Ejection}). */
    Set<EndpointAddress> ejected(long nowMillis) {
        Set<EndpointAddress> out = null;
        for (var e : endpoints.entrySet()) {
            Counters c = e.getValue();
            if (dev.berth.proxy.core.Ejection.ejected(c.consecutiveFailures, c.lastFailureMillis, nowMillis)) {
                if (out == null) {
                    out = new java.util.HashSet<>();
                }
                out.add(e.getKey());
            }
        }
        return out == null ? Set.of() : out;
    }

    Counters endpoint(EndpointAddress address) {
        return endpoints.computeIfAbsent(address, a -> new Counters());
    }

    void refused(String reason) {
        service.refused.increment();
        lastRefusal = new Refusal(reason, Instant.now());
    }

    Refusal lastRefusal() {
        return lastRefusal;
    }

    /** Drops counters of endpoints that left the Service and have drained. */
    void retain(Set<EndpointAddress> current) {
        endpoints.entrySet().removeIf(e -> !current.contains(e.getKey()) && e.getValue().active.get() == 0);
    }

    Map<EndpointAddress, CounterSnapshot> endpointSnapshots() {
        Map<EndpointAddress, CounterSnapshot> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        endpoints.forEach((a, c) -> out.put(a, c.snapshot()));
        return out;
    }
}
