package dev.berth.bus.contract;

/**
 * A pod's node has been NotReady past the eviction delay: the pod no longer counts as a replica
 * and is replaced elsewhere. If the node comes back, its agent stops the pod (fencing).
 * {@code namespace} absent: default.
 */
public record PodLost(String pod, String deployment, String node, String reason, String namespace) implements PodEvent {
    public PodLost {
        namespace = Namespaces.orDefault(namespace);
    }

    public PodLost(String pod, String deployment, String node, String reason) { this(pod, deployment, node, reason, null); }

    /** Its deployment's {@link Namespaces#key}. */
    public String deploymentKey() { return Namespaces.key(namespace, deployment); }
}
