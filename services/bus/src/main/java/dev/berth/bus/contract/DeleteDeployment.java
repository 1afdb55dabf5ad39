package dev.berth.bus.contract;

/** Remove a deployment and stop all its pods; {@code namespace} absent: default. */
public record DeleteDeployment(String name, String namespace) implements Command {
    public DeleteDeployment {
        namespace = Namespaces.orDefault(namespace);
    }

    public DeleteDeployment(String name) { this(name, null); }

    @Override public String target() { return Namespaces.key(namespace, name); }
}
