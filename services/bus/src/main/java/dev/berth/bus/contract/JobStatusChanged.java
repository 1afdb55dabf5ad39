package dev.berth.bus.contract;

import java.time.Instant;
import java.util.List;

/**
 * A Job's {@code status} as Kubernetes reports it, published by the controller when it changes: pods running
 * ({@code active}), succeeded and failed (failures counted against backoffLimit), when it started and completed, and
 * its Complete or Failed condition once it finished. {@code lastFailureTime} (Berth's, not in Kubernetes' status: the job
 * controller keeps it in memory) is when a new failed pod was last counted; the back-off before the next pod runs from it.
 */
public record JobStatusChanged(String name, String namespace, int active, int succeeded, int failed, Instant startTime,
                               Instant completionTime, List<JobCondition> conditions, Instant lastFailureTime) implements JobEvent {
    public JobStatusChanged {
        namespace = Namespaces.orDefault(namespace);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** A status without failures to back off from. */
    public JobStatusChanged(String name, String namespace, int active, int succeeded, int failed, Instant startTime,
                            Instant completionTime, List<JobCondition> conditions) {
        this(name, namespace, active, succeeded, failed, startTime, completionTime, conditions, null);
    }

    /** The condition of {@code type} with status True; null when it has none. */
    public JobCondition condition(String type) {
        for (JobCondition c : conditions) if (c.type().equals(type) && "True".equals(c.status())) return c;
        return null;
    }

    /** Complete or Failed. */
    public boolean finished() { return condition(JobCondition.COMPLETE) != null || condition(JobCondition.FAILED) != null; }

    /** When it finished: the Complete condition's completionTime, or the Failed condition's transition. */
    public Instant finishedAt() {
        if (completionTime != null) return completionTime;
        JobCondition failed = condition(JobCondition.FAILED);
        return failed == null ? null : failed.lastTransitionTime();
    }
}
