package dev.berth.proxy.core;

/**
 * A socket the proxy listens on for one Service port: the cluster IP and port, or the node's
 * address and the node port. Two Services can never share an address (host, port, protocol).
 */
public record Listener(Kind kind, String host, int port, Protocol protocol, ServiceKey service, String portName) {
    public enum Kind { CLUSTER_IP, NODE_PORT }

    public Address address() {
        return new Address(host, port, protocol);
    }

    /** What the kernel sees: a listener's identity for clashes. */
    public record Address(String host, int port, Protocol protocol) {
        @Override
        public String toString() {
            return host + ":" + port + "/" + protocol;
        }
    }

    @Override
    public String toString() {
        return kind + " " + address() + " -> " + service + ":" + portName;
    }
}
