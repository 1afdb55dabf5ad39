package dev.berth.proxy;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How the proxy runs on one node.
 *
 * @param nodeName         the node this proxy serves: the key of its {@code berth.proxy-metrics} records
 * @param nodeAddress      where node ports listen: the node's address, 127.0.0.1 in the local stack
 * @param eventLoops       proxy verticle instances; each listens on every listener (Vert.x shares the socket)
 * @param connectTimeoutMs how long one connect to an endpoint may take before the next is tried
 * @param maxConnectTries  endpoints tried per client connection before it is closed
 * @param dummyInterface   interface that carries the cluster IPs as /32 addresses (must contain "berth"),
 *                         or null when cluster IPs are already local (tests on 127.0.0.1)
 * @param metricsInterval  how often the counters go to {@code berth.proxy-metrics} (1 s to 10 min)
 * @param serveClusterIPs  false: this proxy opens node ports only and leaves cluster IPs to another proxy on the
 *                         same host (the local stack's nodes share one network namespace); then no interface
 * @param dns              the cluster DNS this proxy answers (docs/dns.md), or null: none; only with serveClusterIPs
 *                         (its address is a cluster IP like the Services', on the same interface)
 */
public record ProxyOptions(String nodeName, String nodeAddress, int eventLoops, int connectTimeoutMs, int maxConnectTries,
                           String dummyInterface, Duration metricsInterval, boolean serveClusterIPs, ClusterDnsOptions dns) {
    public static final String DEFAULT_INTERFACE = "berth-svc0";
    public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(5);
    /** A node name as Berth checks it (a DNS subdomain, short enough for a record key). */
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    public ProxyOptions {
        if (nodeName == null || !NODE_NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("nodeName must be a DNS name of at most 63 characters, not " + nodeName);
        }
        if (nodeAddress == null || !IPV4.matcher(nodeAddress).matches()) {
            throw new IllegalArgumentException("nodeAddress must be an IPv4 address, not " + nodeAddress);
        }
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("eventLoops must be 1-64, not " + eventLoops);
        }
        if (connectTimeoutMs < 1 || connectTimeoutMs > 60_000) {
            throw new IllegalArgumentException("connectTimeoutMs must be 1-60000, not " + connectTimeoutMs);
        }
        if (maxConnectTries < 1 || maxConnectTries > 10) {
            throw new IllegalArgumentException("maxConnectTries must be 1-10, not " + maxConnectTries);
        }
        if (dummyInterface != null && (!dummyInterface.contains("berth") || !dummyInterface.matches("[a-z0-9-]{1,15}"))) {
            throw new IllegalArgumentException("dummyInterface must be at most 15 of [a-z0-9-] and contain \"berth\": " + dummyInterface);
        }
        if (metricsInterval == null || metricsInterval.compareTo(Duration.ofSeconds(1)) < 0
                || metricsInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("metricsInterval must be 1s-10m, not " + metricsInterval);
        }
        if (!serveClusterIPs && dummyInterface != null) {
            throw new IllegalArgumentException("a proxy that leaves cluster IPs to another needs no cluster-IP interface");
        }
        if (!serveClusterIPs && dns != null) {
            throw new IllegalArgumentException("the cluster DNS listens on a cluster IP: only the proxy that serves them answers it");
        }
    }

    /** The data path alone (tests, the benchmark): node "local", metrics every 5 s if ever published. */
    public ProxyOptions(String nodeAddress, int eventLoops, int connectTimeoutMs, int maxConnectTries, String dummyInterface) {
        this("local", nodeAddress, eventLoops, connectTimeoutMs, maxConnectTries, dummyInterface, DEFAULT_METRICS_INTERVAL, true, null);
    }

    /** The local stack's defaults: node ports on 127.0.0.1, one loop per core, 3 tries of 1 s, berth-svc0, DNS on 10.96.0.10:53. */
    public static ProxyOptions local() {
        return forNode("local");
    }

    /** The defaults for the proxy of node {@code nodeName}. */
    public static ProxyOptions forNode(String nodeName) {
        return new ProxyOptions(nodeName, "127.0.0.1", Runtime.getRuntime().availableProcessors(), 1000, 3,
                DEFAULT_INTERFACE, DEFAULT_METRICS_INTERVAL, true, ClusterDnsOptions.DEFAULT);
    }

    public ProxyOptions withNodeName(String name) {
        return new ProxyOptions(name, nodeAddress, eventLoops, connectTimeoutMs, maxConnectTries, dummyInterface, metricsInterval, serveClusterIPs, dns);
    }

    public ProxyOptions withNodeAddress(String address) {
        return new ProxyOptions(nodeName, address, eventLoops, connectTimeoutMs, maxConnectTries, dummyInterface, metricsInterval, serveClusterIPs, dns);
    }

    /** The cluster-IP interface, or null when cluster IPs are already local (no root needed). */
    public ProxyOptions withDummyInterface(String name) {
        return new ProxyOptions(nodeName, nodeAddress, eventLoops, connectTimeoutMs, maxConnectTries, name, metricsInterval, serveClusterIPs, dns);
    }

    public ProxyOptions withEventLoops(int n) {
        return new ProxyOptions(nodeName, nodeAddress, n, connectTimeoutMs, maxConnectTries, dummyInterface, metricsInterval, serveClusterIPs, dns);
    }

    public ProxyOptions withConnectTimeoutMs(int ms) {
        return new ProxyOptions(nodeName, nodeAddress, eventLoops, ms, maxConnectTries, dummyInterface, metricsInterval, serveClusterIPs, dns);
    }

    public ProxyOptions withMetricsInterval(Duration interval) {
        return new ProxyOptions(nodeName, nodeAddress, eventLoops, connectTimeoutMs, maxConnectTries, dummyInterface, interval, serveClusterIPs, dns);
    }

    /** false: node ports only, cluster IPs left to another proxy on this host (and so no interface). */
    public ProxyOptions withClusterIPs(boolean serve) {
        return new ProxyOptions(nodeName, nodeAddress, eventLoops, connectTimeoutMs, maxConnectTries,
                serve ? dummyInterface : null, metricsInterval, serve, serve ? dns : null);
    }

    /** The cluster DNS to answer, or null: none. */
    public ProxyOptions withDns(ClusterDnsOptions d) {
        return new ProxyOptions(nodeName, nodeAddress, eventLoops, connectTimeoutMs, maxConnectTries, dummyInterface, metricsInterval, serveClusterIPs, d);
    }
}
