package dev.berth.bus.contract;

import java.util.Map;

/**
 * No node can take the pod right now. {@code message} reads like Kubernetes':
 * "0/3 nodes available: 2 Insufficient memory, 1 Too many pods". The pod stays pending and is
 * retried when capacity changes.
 */
public record PodUnschedulable(String pod, String deployment, String message, int nodesConsidered,
                               Map<String, Integer> filtered) implements PodEvent {
    public PodUnschedulable {
        filtered = filtered == null ? Map.of() : Map.copyOf(filtered);
    }
}
