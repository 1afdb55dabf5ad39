package dev.berth.bus.contract;

/**
 * Desired state now holds this Job. {@code uid} is its {@code metadata.uid} (derived from the creating command's id, so a
 * replay names it the same); its pods carry it as {@code controller-uid}. {@code generation} counts changes (only
 * parallelism, activeDeadlineSeconds and ttlSecondsAfterFinished may change, as Kubernetes).
 */
public record JobApplied(JobSpec job, String uid, long generation) implements JobEvent {
    @Override public String name() { return job.name(); }
    @Override public String namespace() { return job.namespace(); }
}
