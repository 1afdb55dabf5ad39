package dev.berth.bus.contract;

import java.util.Map;

/**
 * One pod a Service selects (EndpointSlice's {@code endpoints[]}): listed ready or not, so the proxy can drain
 * one that turns not ready and {@code describe} can count them.
 *
 * @param targetPorts the pod's port per Service port name ("" for a single unnamed port); a port whose named
 *                    targetPort this pod lacks is left out, as Kubernetes leaves it out of that port's slice
 */
public record EndpointAddress(String pod, String node, String ip, boolean ready, Map<String, Integer> targetPorts) {
    public EndpointAddress {
        targetPorts = targetPorts == null ? Map.of() : Map.copyOf(targetPorts);
    }
}
