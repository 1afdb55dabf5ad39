package dev.berth.bus.contract;

/** The Secret is gone. */
public record SecretDeleted(String namespace, String name) implements SecretEvent {
    public SecretDeleted {
        namespace = Namespaces.orDefault(namespace);
    }
}
