package dev.berth.bus.contract;

/**
 * The reconciler wants this pod to exist; it is pending until the scheduler places it.
 *
 * @param namespace its deployment's namespace; absent (records written before namespaces): default
 * @param revision  the deployment revision whose template it runs ({@link DeploymentApplied#revision}); 0 in older logs
 */
public record PodCreated(String pod, String deployment, long generation, PodTemplate template, String namespace, long revision)
        implements PodEvent {
    public PodCreated {
        namespace = Namespaces.orDefault(namespace);
        template = template == null ? null : template.named(deployment);
    }

    /** A pod from before revisions. */
    public PodCreated(String pod, String deployment, long generation, PodTemplate template, String namespace) {
        this(pod, deployment, generation, template, namespace, 0);
    }

    /** A pod of a deployment in the default namespace. */
    public PodCreated(String pod, String deployment, long generation, PodTemplate template) {
        this(pod, deployment, generation, template, null);
    }

    /** Its deployment's {@link Namespaces#key}. */
    public String deploymentKey() { return Namespaces.key(namespace, deployment); }
}
