package dev.berth.autoscaler.core;

import java.time.Instant;

/** A scale the autoscaler made, as Kubernetes' timestampedScaleEvent: how many replicas it added (or removed) when. */
public record ScaleEvent(Instant at, int change) {
}
