package dev.berth.bus.contract;

/** A change of a ConfigMap, on berth.configmaps, keyed by its key (namespace/name; bare name in default). */
public sealed interface ConfigMapEvent extends Event permits ConfigMapApplied, ConfigMapDeleted {
    String namespace();

    String name();

    default String key() { return Namespaces.key(namespace(), name()); }
}
