package dev.berth.bus.contract;

/** A change of one deployment's desired state. */
public sealed interface DeploymentEvent extends Event permits DeploymentApplied, DeploymentScaled, DeploymentDeleted {
    /**
     * The deployment's name. Not {@code deployment()}: {@link DeploymentApplied#deployment()} is the
     * whole spec, and its JSON field keeps that name so logs written earlier still read.
     */
    String name();
}
