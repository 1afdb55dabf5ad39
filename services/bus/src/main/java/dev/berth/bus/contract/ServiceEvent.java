package dev.berth.bus.contract;

/** A change of a Service, on berth.services, keyed by the Service's key (namespace/name; bare name in default). */
public sealed interface ServiceEvent extends Event permits ServiceApplied, ServiceDeleted {
    String namespace();

    String name();

    default String key() { return Namespaces.key(namespace(), name()); }
}
