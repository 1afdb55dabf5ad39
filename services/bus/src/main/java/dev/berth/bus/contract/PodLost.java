package dev.berth.bus.contract;

/**
 * A pod's node has been NotReady past the eviction delay: the pod no longer counts as a replica
 * and is replaced elsewhere. If the node comes back, its agent stops the pod (fencing).
 */
public record PodLost(String pod, String deployment, String node, String reason) implements PodEvent {
}
