package dev.berth.bus.contract;

/**
 * A change of a Secret, on berth.secrets (a topic of its own so that only the controller and node agents need to
 * read it), keyed by its key (namespace/name; bare name in default).
 */
public sealed interface SecretEvent extends Event permits SecretApplied, SecretDeleted {
    String namespace();

    String name();

    default String key() { return Namespaces.key(namespace(), name()); }
}
