package dev.berth.bus.contract;

/** Delete a Secret; pods already running keep what they read from it, new containers that need it wait. */
public record DeleteSecret(String namespace, String name) implements Command {
    public DeleteSecret {
        namespace = Namespaces.orDefault(namespace);
    }

    @Override public String target() { return Namespaces.key(namespace, name); }
}
