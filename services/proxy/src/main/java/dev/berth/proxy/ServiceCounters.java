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

    final Balancer.Load load = endpoint -> {
        Counters c = endpoints.get(endpoint);
        return c == null ? 0 : c.active.get();
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

    /**
     * The Service's traffic per endpoint pod, named from {@code service}'s endpoints by IP: a pod's ports add
     * up (counters are kept per ip:port); an endpoint no longer in the table (drained away) is left out, as its
     * pod is not known any more. Sorted by pod, at most {@link dev.berth.bus.Limits#ENDPOINTS_MAX_ITEMS}.
     */
    java.util.List<dev.berth.bus.contract.EndpointTraffic> endpointTraffic(dev.berth.proxy.core.ServiceEndpoints service) {
        Map<String, String> podOfIp = new java.util.HashMap<>();
        for (dev.berth.proxy.core.Endpoint e : service.endpoints()) podOfIp.put(e.ip(), e.pod());
        return endpointTraffic(podOfIp, endpointSnapshots());
    }

    static java.util.List<dev.berth.bus.contract.EndpointTraffic> endpointTraffic(Map<String, String> podOfIp,
                                                                                 Map<EndpointAddress, CounterSnapshot> snapshots) {
        Map<String, long[]> byPod = new TreeMap<>(); // pod -> connections, active, requests
        Map<String, String> ipOfPod = new java.util.HashMap<>();
        snapshots.forEach((address, c) -> {
            String pod = podOfIp.get(address.ip());
            if (pod == null) return;
            ipOfPod.put(pod, address.ip());
            long[] sum = byPod.computeIfAbsent(pod, k -> new long[3]);
            sum[0] += c.connectionsTotal();
            sum[1] += Math.max(0, c.connectionsActive()); // a connect in flight counts; never below 0 while racing
            sum[2] += c.requests();
        });
        return byPod.entrySet().stream().limit(dev.berth.bus.Limits.ENDPOINTS_MAX_ITEMS)
                .map(e -> new dev.berth.bus.contract.EndpointTraffic(e.getKey(), ipOfPod.get(e.getKey()), e.getValue()[0],
                        (int) Math.min(Integer.MAX_VALUE, e.getValue()[1]), e.getValue()[2]))
                .toList();
    }

    Map<EndpointAddress, CounterSnapshot> endpointSnapshots() {
        Map<EndpointAddress, CounterSnapshot> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        endpoints.forEach((a, c) -> out.put(a, c.snapshot()));
        return out;
    }
}
