package dev.berth.bus.contract;

/** {@code namespace} absent (records written before namespaces): default; {@code reason}: the command's, if any. */
public record DeploymentScaled(String name, int replicas, long generation, String namespace, String reason) implements DeploymentEvent {
    public DeploymentScaled {
        namespace = Namespaces.orDefault(namespace);
    }

    public DeploymentScaled(String name, int replicas, long generation, String namespace) { this(name, replicas, generation, namespace, null); }

    public DeploymentScaled(String name, int replicas, long generation) { this(name, replicas, generation, null, null); }
}
