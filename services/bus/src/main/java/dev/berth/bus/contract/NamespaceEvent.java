package dev.berth.bus.contract;

/** A change of a namespace; on berth.deployments with the deployment events, keyed by the namespace's name. */
public sealed interface NamespaceEvent extends Event permits NamespaceApplied, NamespaceDeleted {
    String name();
}
