package dev.berth.bus.contract;

import java.time.Instant;

/**
 * A Deployment condition as Kubernetes has them: {@code Available} (MinimumReplicasAvailable /
 * MinimumReplicasUnavailable) and {@code Progressing} (NewReplicaSetCreated, ReplicaSetUpdated,
 * NewReplicaSetAvailable, ProgressDeadlineExceeded, DeploymentPaused, DeploymentResumed); status True, False or Unknown.
 *
 * @param lastUpdateTime     when its reason or message last changed (Progressing: the last progress, which the deadline
 *                           is measured from)
 * @param lastTransitionTime when its status last changed
 */
public record DeploymentCondition(String type, String status, String reason, String message, Instant lastUpdateTime,
                                  Instant lastTransitionTime) {
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
}
