package dev.berth.bus.contract;

/** The reconciler wants this pod gone (scale down, delete, replaced spec); {@code namespace} absent: default. */
public record PodDeletionRequested(String pod, String deployment, String reason, String namespace, String ownerKind) implements PodEvent {
    public PodDeletionRequested {
        namespace = Namespaces.orDefault(namespace);
    }

    /** A pod of a deployment. */
    public PodDeletionRequested(String pod, String deployment, String reason, String namespace) { this(pod, deployment, reason, namespace, null); }

    /** Whether a Job owns it ({@code deployment} is then the Job's name; see {@link PodCreated#ownerKind}). */
    public boolean ofJob() { return PodCreated.JOB.equals(ownerKind); }

    public PodDeletionRequested(String pod, String deployment, String reason) { this(pod, deployment, reason, null); }

    /** Its deployment's {@link Namespaces#key}. */
    public String deploymentKey() { return Namespaces.key(namespace, deployment); }
}
