package dev.berth.bus.contract;

/** Create a deployment or replace its spec. */
public record ApplyDeployment(DeploymentSpec deployment) implements Command {
    @Override public String target() { return deployment == null ? null : deployment.key(); }
}
