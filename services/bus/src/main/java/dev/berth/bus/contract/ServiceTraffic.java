package dev.berth.bus.contract;

import java.util.List;

/**
 * One Service's traffic through one node's proxy since the proxy started (counters only grow; a restart starts
 * them again, as Prometheus counters do): the autoscaler takes rates from successive reports. {@code endpoints}
 * splits the counters per pod; absent in records written before it existed.
 */
public record ServiceTraffic(String namespace, String name, long connections, int activeConnections, long requests,
                             long failedConnects, long refused, long bytesIn, long bytesOut, List<EndpointTraffic> endpoints) {
    public ServiceTraffic {
        namespace = Namespaces.orDefault(namespace);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    public ServiceTraffic(String namespace, String name, long connections, int activeConnections, long requests,
                          long failedConnects, long refused, long bytesIn, long bytesOut) {
        this(namespace, name, connections, activeConnections, requests, failedConnects, refused, bytesIn, bytesOut, List.of());
    }

    public ServiceTraffic withEndpoints(List<EndpointTraffic> endpoints) {
        return new ServiceTraffic(namespace, name, connections, activeConnections, requests, failedConnects, refused, bytesIn, bytesOut, endpoints);
    }
}
