package dev.berth.proxy.core;

import java.util.Map;

/**
 * One pod behind a Service: its IP, the target port it serves for each Service port name (a named
 * targetPort resolves per pod), and whether it is ready. Only ready endpoints get new connections;
 * a not-ready or removed one keeps the connections it already has.
 */
public record Endpoint(String pod, String ip, Map<String, Integer> targetPorts, boolean ready) {
    public Endpoint {
        targetPorts = Map.copyOf(targetPorts);
    }

    /** The target port for a Service port name, or 0 when this endpoint does not serve it. */
    public int targetPort(String portName) {
        Integer p = targetPorts.get(portName);
        return p == null ? 0 : p;
    }

    public Endpoint withReady(boolean ready) {
        return new Endpoint(pod, ip, targetPorts, ready);
    }
}
