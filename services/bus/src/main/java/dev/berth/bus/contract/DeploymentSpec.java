package dev.berth.bus.contract;

/** Desired state of one deployment: how many replicas of which pod template. */
public record DeploymentSpec(String name, int replicas, PodTemplate template) {
    public DeploymentSpec withReplicas(int n) { return new DeploymentSpec(name, n, template); }
}
