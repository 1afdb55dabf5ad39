package dev.berth.bus.contract;

/** {@code namespace} absent (records written before namespaces): default. */
public record DeploymentScaled(String name, int replicas, long generation, String namespace) implements DeploymentEvent {
    public DeploymentScaled {
        namespace = Namespaces.orDefault(namespace);
    }

    public DeploymentScaled(String name, int replicas, long generation) { this(name, replicas, generation, null); }
}
