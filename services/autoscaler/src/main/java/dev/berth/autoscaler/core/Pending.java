package dev.berth.autoscaler.core;

import java.time.Instant;

/** A ScaleDeployment sent and not yet seen landing (DeploymentScaled): no other is sent meanwhile, until the timeout. */
public record Pending(int replicas, Instant since) {
}
