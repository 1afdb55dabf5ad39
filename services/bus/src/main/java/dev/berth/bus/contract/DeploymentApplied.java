package dev.berth.bus.contract;

/** Desired state now holds this spec; {@code generation} counts changes to the deployment. */
public record DeploymentApplied(DeploymentSpec deployment, long generation) implements DeploymentEvent {
    @Override
    public String name() { return deployment.name(); }

    @Override
    public String namespace() { return deployment.namespace(); }
}
