package dev.berth.bus.contract;

/** A change of a Job, on berth.jobs, keyed by its key (namespace/name; bare name in default). */
public sealed interface JobEvent extends Event permits JobApplied, JobDeleted, JobStatusChanged {
    String name();
    String namespace();
    default String key() { return Namespaces.key(namespace(), name()); }
}
