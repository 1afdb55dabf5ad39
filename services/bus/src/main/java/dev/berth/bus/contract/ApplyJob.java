package dev.berth.bus.contract;

/** Create a Job or change what Kubernetes lets change (parallelism, activeDeadlineSeconds, ttlSecondsAfterFinished). */
public record ApplyJob(JobSpec job) implements Command {
    @Override public String target() { return job == null ? null : job.key(); }
}
