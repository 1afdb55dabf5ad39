package dev.berth.bus.contract;

/** The Service is gone; its addresses are free again. */
public record ServiceDeleted(String namespace, String name) implements ServiceEvent {
    public ServiceDeleted {
        namespace = Namespaces.orDefault(namespace);
    }
}
