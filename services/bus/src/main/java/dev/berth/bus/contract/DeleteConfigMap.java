package dev.berth.bus.contract;

/** Delete a ConfigMap; pods already running keep what they read from it, new containers that need it wait. */
public record DeleteConfigMap(String namespace, String name) implements Command {
    public DeleteConfigMap {
        namespace = Namespaces.orDefault(namespace);
    }

    @Override public String target() { return Namespaces.key(namespace, name); }
}
