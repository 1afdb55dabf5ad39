package dev.berth.bus.contract;

/** Change the replica count of an existing deployment; {@code namespace} absent: default. */
public record ScaleDeployment(String name, int replicas, String namespace) implements Command {
    public ScaleDeployment {
        namespace = Namespaces.orDefault(namespace);
    }

    public ScaleDeployment(String name, int replicas) { this(name, replicas, null); }

    @Override public String target() { return Namespaces.key(namespace, name); }
}
