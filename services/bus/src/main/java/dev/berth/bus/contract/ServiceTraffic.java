package dev.berth.bus.contract;

/**
 * One Service's traffic through one node's proxy since the proxy started (counters only grow; a restart starts
 * them again, as Prometheus counters do): the autoscaler takes rates from successive reports.
 */
public record ServiceTraffic(String namespace, String name, long connections, int activeConnections, long requests,
                             long failedConnects, long refused, long bytesIn, long bytesOut) {
    public ServiceTraffic {
        namespace = Namespaces.orDefault(namespace);
    }
}
