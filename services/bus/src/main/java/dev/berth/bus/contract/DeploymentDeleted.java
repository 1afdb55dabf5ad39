package dev.berth.bus.contract;

/** {@code namespace} absent (records written before namespaces): default. */
public record DeploymentDeleted(String name, long generation, String namespace) implements DeploymentEvent {
    public DeploymentDeleted {
        namespace = Namespaces.orDefault(namespace);
    }

    public DeploymentDeleted(String name, long generation) { this(name, generation, null); }
}
