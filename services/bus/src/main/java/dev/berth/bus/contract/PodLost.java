package dev.berth.bus.contract;

/**
 * A pod's node has been NotReady past the eviction delay: the pod no longer counts as a replica
 * and is replaced elsewhere. If the node comes back, its agent stops the pod (fencing).
 * {@code namespace} absent: default.
 */
public record PodLost(String pod, String deployment, String node, String reason, String namespace, String ownerKind) implements PodEvent {
    public PodLost {
        namespace = Namespaces.orDefault(namespace);
    }

    /** A pod of a deployment. */
    public PodLost(String pod, String deployment, String node, String reason, String namespace) { this(pod, deployment, node, reason, namespace, null); }

    /** Whether a Job owns it ({@code deployment} is then the Job's name; see {@link PodCreated#ownerKind}). */
    public boolean ofJob() { return PodCreated.JOB.equals(ownerKind); }

    public PodLost(String pod, String deployment, String node, String reason) { this(pod, deployment, node, reason, null); }

    /** Its deployment's {@link Namespaces#key}. */
    public String deploymentKey() { return Namespaces.key(namespace, deployment); }
}
