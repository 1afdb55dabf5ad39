package dev.berth.bus.contract;

/**
 * The namespace is being deleted: it is Terminating, takes no new objects, and is gone once the
 * pods of its deployments (deleted with it, in the same decision) have stopped.
 */
public record NamespaceDeleted(String name) implements NamespaceEvent {
}
