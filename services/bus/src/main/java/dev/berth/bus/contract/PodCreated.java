package dev.berth.bus.contract;

/**
 * The reconciler wants this pod to exist; it is pending until the scheduler places it.
 *
 * @param namespace its deployment's namespace; absent (records written before namespaces): default
 */
public record PodCreated(String pod, String deployment, long generation, PodTemplate template, String namespace)
        implements PodEvent {
    public PodCreated {
        namespace = Namespaces.orDefault(namespace);
    }

    /** A pod of a deployment in the default namespace. */
    public PodCreated(String pod, String deployment, long generation, PodTemplate template) {
        this(pod, deployment, generation, template, null);
    }

    /** Its deployment's {@link Namespaces#key}. */
    public String deploymentKey() { return Namespaces.key(namespace, deployment); }
}
