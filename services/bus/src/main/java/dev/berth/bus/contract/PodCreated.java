package dev.berth.bus.contract;

/**
 * The reconciler wants this pod to exist; it is pending until the scheduler places it.
 *
 * @param namespace its deployment's namespace; absent (records written before namespaces): default
 * @param revision  the deployment revision whose template it runs ({@link DeploymentApplied#revision}); 0 in older logs
 * @param ownerKind {@link #JOB} when {@code deployment} names the Job that owns the pod; absent: a Deployment
 */
public record PodCreated(String pod, String deployment, long generation, PodTemplate template, String namespace, long revision,
                         String ownerKind) implements PodEvent {
    public static final String JOB = "Job";

    public PodCreated {
        namespace = Namespaces.orDefault(namespace);
        template = template == null ? null : template.named(deployment);
    }

    /** A pod of a deployment. */
    public PodCreated(String pod, String deployment, long generation, PodTemplate template, String namespace, long revision) {
        this(pod, deployment, generation, template, namespace, revision, null);
    }

    /** Whether a Job owns it ({@code deployment} is then the Job's name). */
    public boolean ofJob() { return JOB.equals(ownerKind); }

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
