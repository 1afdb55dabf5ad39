package dev.berth.bus.contract;

import java.time.Instant;

/**
 * A Job condition as Kubernetes has them: {@code Complete} (reason Completed) or {@code Failed} (BackoffLimitExceeded,
 * DeadlineExceeded), status True once the Job finished that way.
 */
public record JobCondition(String type, String status, String reason, String message, Instant lastTransitionTime) {
    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
    public static final String COMPLETED = "Completed";
    public static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
}
