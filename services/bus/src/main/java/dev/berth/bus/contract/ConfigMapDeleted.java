package dev.berth.bus.contract;

/** The ConfigMap is gone. */
public record ConfigMapDeleted(String namespace, String name) implements ConfigMapEvent {
    public ConfigMapDeleted {
        namespace = Namespaces.orDefault(namespace);
    }
}
