package dev.berth.bus.contract;

/**
 * Change the replica count of an existing deployment; {@code namespace} absent: default. {@code reason}, when
 * given, says who scaled and why (the autoscaler names its metric values); it is carried into DeploymentScaled.
 */
public record ScaleDeployment(String name, int replicas, String namespace, String reason) implements Command {
    public ScaleDeployment {
        namespace = Namespaces.orDefault(namespace);
    }

    public ScaleDeployment(String name, int replicas, String namespace) { this(name, replicas, namespace, null); }

    public ScaleDeployment(String name, int replicas) { this(name, replicas, null, null); }

    @Override public String target() { return Namespaces.key(namespace, name); }
}
