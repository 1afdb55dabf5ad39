package dev.berth.controller.core;

import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.JobCondition;
import dev.berth.bus.contract.JobDeleted;
import dev.berth.bus.contract.JobSpec;
import dev.berth.bus.contract.JobStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One Job's pods against its spec, as Kubernetes' job controller (pkg/controller/job) decides, level-triggered: from the
 * pods the controller knows and the status last published, never from what just happened.
 * <ul>
 *   <li>succeeded pods (exit 0) reaching {@code completions}: condition Complete (reason Completed), completionTime;</li>
 *   <li>failures past {@code backoffLimit}: Failed, BackoffLimitExceeded. Failures are failed pods under restartPolicy
 *       Never ({@code failed > backoffLimit}) and container restarts under OnFailure ({@code restarts >= backoffLimit},
 *       any restart when it is 0), as Kubernetes counts them;</li>
 *   <li>{@code activeDeadlineSeconds} passed since startTime: Failed, DeadlineExceeded;</li>
 *   <li>otherwise pods are created (or deleted, when parallelism went down) until {@code min(parallelism, completions −
 *       succeeded)} are active;</li>
 *   <li>a finished Job's pods that still run are deleted and none is created any more; {@code ttlSecondsAfterFinished}
 *       after it finished, it is deleted ({@link JobDeleted}) with all its pods.</li>
 * </ul>
 * A failed Job counts its pods stopped because of it as failed, as Kubernetes does. A failed pod (restartPolicy Never) is
 * replaced after Kubernetes' back-off: 10 s after the first failure, doubling with each one, at most 6 min, counted from
 * when the controller last saw a new failure ({@link JobStatusChanged#lastFailureTime}); under OnFailure the node agent
 * backs off the container's restarts itself (CrashLoopBackOff).
 */
final class JobController {
    private JobController() {}

    /** Makes pods for a Job: up to {@code n} of {@code template}; returns how many it could (the creation burst). */
    interface Plan {
        int create(int n, PodTemplate template);

        void delete(PodRecord pod, String reason);
    }

    static final String COMPLETE_MESSAGE = "Reached expected number of succeeded pods";
    static final String BACKOFF_MESSAGE = "Job has reached the specified backoff limit";
    static final String DEADLINE_MESSAGE = "Job was active longer than specified deadline";
    static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
    static final Duration BACKOFF_MAX = Duration.ofMinutes(6);

    /** Kubernetes' pod failure back-off: 10 s for the first failure, doubling, capped at 6 min; zero without failures. */
    static Duration backoff(int failures) {
        if (failures <= 0) return Duration.ZERO;
        if (failures > 6) return BACKOFF_MAX; // 10 s · 2^6 is past the cap already
        Duration d = BACKOFF_BASE.multipliedBy(1L << (failures - 1));
        return d.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : d;
    }

    /**
     * Decides for {@code job} with its pods {@code pods} (those being deleted too) at {@code now}: pod decisions go to
     * {@code plan}, a changed status and a ttl deletion to {@code events}.
     */
    static void reconcile(JobRecord job, List<PodRecord> pods, Instant now, Plan plan, List<Event> events) {
        JobSpec spec = job.spec();
        JobStatusChanged before = job.status();
        List<PodRecord> active = new ArrayList<>();
        for (PodRecord p : pods) if (!p.deletionRequested() && isActive(spec, p)) active.add(p);
        if (job.finished()) {
            for (PodRecord p : active) plan.delete(p, "job " + spec.name() + " finished");
            Instant finishedAt = before.finishedAt();
            Integer ttl = spec.ttlSecondsAfterFinished();
            if (ttl != null && finishedAt != null && !finishedAt.plusSeconds(ttl).isAfter(now)) {
                events.add(new JobDeleted(spec.name(), spec.namespace(), "ttlSecondsAfterFinished (" + ttl + " s) passed since the Job finished"));
                for (PodRecord p : pods) if (!p.deletionRequested() && !active.contains(p)) plan.delete(p, "job " + spec.name() + " deleted after its ttl");
            }
            return;
        }
        int succeeded = 0, failed = 0, restarts = 0;
        for (PodRecord p : pods) {
            if (p.succeeded()) succeeded++;
            else if (!onFailure(spec) && p.failed()) failed++;
            restarts += p.restartCount();
        }
        Instant start = before != null && before.startTime() != null ? before.startTime() : now;
        Instant lastFailure = before == null ? null : before.lastFailureTime();
        if (failed > 0 && (before == null || failed > before.failed())) lastFailure = now;
        Instant completion = null;
        List<JobCondition> conditions = List.of();
        int activeAfter = active.size();
        String failure = failure(spec, failed, restarts, start, now);
        if (succeeded >= spec.completions()) {
            completion = now;
            conditions = List.of(new JobCondition(JobCondition.COMPLETE, "True", JobCondition.COMPLETED, COMPLETE_MESSAGE, now));
            for (PodRecord p : active) plan.delete(p, "job " + spec.name() + " complete");
            activeAfter = 0;
        } else if (failure != null) {
            String message = JobCondition.BACKOFF_LIMIT_EXCEEDED.equals(failure) ? BACKOFF_MESSAGE : DEADLINE_MESSAGE;
            conditions = List.of(new JobCondition(JobCondition.FAILED, "True", failure, message, now));
            for (PodRecord p : active) plan.delete(p, "job " + spec.name() + " failed: " + failure);
            failed += active.size();
            activeAfter = 0;
        } else {
            int wanted = Math.min(spec.parallelism(), spec.completions() - succeeded);
            boolean backingOff = lastFailure != null && now.isBefore(lastFailure.plus(backoff(failed)));
            if (active.size() < wanted && !backingOff) {
                activeAfter += plan.create(wanted - active.size(), podTemplate(job));
            } else if (active.size() > wanted) {
                active.sort(Rollouts.DELETION_ORDER);
                for (int i = 0; i < active.size() - wanted; i++) plan.delete(active.get(i), "job " + spec.name() + " parallelism is " + spec.parallelism());
                activeAfter = wanted;
            }
        }
        JobStatusChanged status = new JobStatusChanged(spec.name(), spec.namespace(), activeAfter, succeeded, failed, start, completion, conditions,
                lastFailure);
        if (!status.equals(before)) events.add(status);
    }

    /** BackoffLimitExceeded, DeadlineExceeded, or null while the Job may go on. */
    static String failure(JobSpec spec, int failedPods, int restarts, Instant start, Instant now) {
        boolean pastBackoff = onFailure(spec)
                ? (spec.backoffLimit() == 0 ? restarts > 0 : restarts >= spec.backoffLimit())
                : failedPods > spec.backoffLimit();
        if (pastBackoff) return JobCondition.BACKOFF_LIMIT_EXCEEDED;
        Long deadline = spec.activeDeadlineSeconds();
        if (deadline != null && !start.plusSeconds(deadline).isAfter(now)) return JobCondition.DEADLINE_EXCEEDED;
        return null;
    }

    /** Running or about to (pending, starting, restarting under OnFailure): neither succeeded nor failed for good. */
    static boolean isActive(JobSpec spec, PodRecord p) {
        if (p.succeeded()) return false;
        return onFailure(spec) || !p.failed();
    }

    static boolean onFailure(JobSpec spec) { return JobSpec.ON_FAILURE.equals(spec.template().restartPolicy()); }

    /** The Job's template with the labels Kubernetes' job controller puts on its pods. */
    static PodTemplate podTemplate(JobRecord job) {
        Map<String, String> labels = new HashMap<>(job.spec().template().labels());
        labels.put(JobSpec.JOB_NAME_LABEL, job.name());
        labels.put(JobSpec.BATCH_JOB_NAME_LABEL, job.name());
        labels.put(JobSpec.CONTROLLER_UID_LABEL, job.uid());
        labels.put(JobSpec.BATCH_CONTROLLER_UID_LABEL, job.uid());
        return job.spec().template().withLabels(labels);
    }

    /**
     * The Jobs that time alone moves on (the controller's one-second check): not started yet, running with an
     * activeDeadlineSeconds or after a failure (its back-off ends), or finished with a ttlSecondsAfterFinished. A cluster
     * of finished Jobs without ttl has none.
     */
    static SortedSet<String> waitingForTime(ControllerState state) {
        SortedSet<String> keys = new TreeSet<>();
        for (JobRecord j : state.jobs().values()) {
            if (j.status() == null) keys.add(j.key());
            else if (j.finished() ? j.spec().ttlSecondsAfterFinished() != null
                    : j.spec().activeDeadlineSeconds() != null || j.status().lastFailureTime() != null) keys.add(j.key());
        }
        return keys;
    }
}
