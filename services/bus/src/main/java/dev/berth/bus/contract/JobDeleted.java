package dev.berth.bus.contract;

/** The Job is gone and its pods with it: deleted by a user, with its namespace, or by ttlSecondsAfterFinished ({@code reason}). */
public record JobDeleted(String name, String namespace, String reason) implements JobEvent {
    public JobDeleted {
        namespace = Namespaces.orDefault(namespace);
    }
}
