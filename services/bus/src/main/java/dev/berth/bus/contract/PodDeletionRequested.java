package dev.berth.bus.contract;

/** The reconciler wants this pod gone (scale down, delete, replaced spec); {@code namespace} absent: default. */
public record PodDeletionRequested(String pod, String deployment, String reason, String namespace) implements PodEvent {
    public PodDeletionRequested {
        namespace = Namespaces.orDefault(namespace);
    }

    public PodDeletionRequested(String pod, String deployment, String reason) { this(pod, deployment, reason, null); }

    /** Its deployment's {@link Namespaces#key}. */
    public String deploymentKey() { return Namespaces.key(namespace, deployment); }
}
