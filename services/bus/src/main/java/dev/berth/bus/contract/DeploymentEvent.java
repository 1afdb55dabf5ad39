package dev.berth.bus.contract;

/** A change of one deployment's desired state. */
public sealed interface DeploymentEvent extends Event permits DeploymentApplied, DeploymentScaled, DeploymentDeleted, DeploymentStatusChanged {
    /**
     * The deployment's name. Not {@code deployment()}: {@link DeploymentApplied#deployment()} is the
     * whole spec, and its JSON field keeps that name so logs written earlier still read.
     */
    String name();

    /** The deployment's namespace; default for records written before namespaces. */
    String namespace();

    /** Its {@link Namespaces#key}, the record key on berth.deployments. */
    default String key() { return Namespaces.key(namespace(), name()); }
}
