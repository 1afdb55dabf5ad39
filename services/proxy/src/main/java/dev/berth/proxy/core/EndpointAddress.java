package dev.berth.proxy.core;

/** Where the proxy connects for one endpoint and port: what load and failures are counted by. */
public record EndpointAddress(String ip, int port) {
    @Override
    public String toString() {
        return ip + ":" + port;
    }
}
