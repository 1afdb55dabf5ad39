package dev.berth.proxy;

/**
 * How the proxy runs on one node.
 *
 * @param nodeAddress      where node ports listen: the node's address, 127.0.0.1 in the local stack
 * @param eventLoops       proxy verticle instances; each listens on every listener (Vert.x shares the socket)
 * @param connectTimeoutMs how long one connect to an endpoint may take before the next is tried
 * @param maxConnectTries  endpoints tried per client connection before it is closed
 * @param dummyInterface   interface that carries the cluster IPs as /32 addresses (must contain "berth"),
 *                         or null when cluster IPs are already local (tests on 127.0.0.1)
 */
public record ProxyOptions(String nodeAddress, int eventLoops, int connectTimeoutMs, int maxConnectTries, String dummyInterface) {
    public static final String DEFAULT_INTERFACE = "berth-svc0";

    public ProxyOptions {
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
    }

    /** The local stack's defaults: node ports on 127.0.0.1, one loop per core, 3 tries of 1 s. */
    public static ProxyOptions local() {
        return new ProxyOptions("127.0.0.1", Runtime.getRuntime().availableProcessors(), 1000, 3, DEFAULT_INTERFACE);
    }

    public ProxyOptions withDummyInterface(String name) {
        return new ProxyOptions(nodeAddress, eventLoops, connectTimeoutMs, maxConnectTries, name);
    }

    public ProxyOptions withEventLoops(int n) {
        return new ProxyOptions(nodeAddress, n, connectTimeoutMs, maxConnectTries, dummyInterface);
    }

    public ProxyOptions withConnectTimeoutMs(int ms) {
        return new ProxyOptions(nodeAddress, eventLoops, ms, maxConnectTries, dummyInterface);
    }
}
