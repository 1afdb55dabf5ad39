package dev.berth.bus.contract;

/**
 * Desired state now holds this spec; {@code generation} counts changes to the deployment; {@code revision} numbers its
 * template as Kubernetes numbers ReplicaSets: a template unlike the current one gets the next number, also when it
 * equals an older revision's (a rollback); 0 in logs from before rollouts.
 */
public record DeploymentApplied(DeploymentSpec deployment, long generation, long revision) implements DeploymentEvent {
    /** An event from before revisions (or a test that does not care). */
    public DeploymentApplied(DeploymentSpec deployment, long generation) {
        this(deployment, generation, 0);
    }

    @Override
    public String name() { return deployment.name(); }

    @Override
    public String namespace() { return deployment.namespace(); }
}
