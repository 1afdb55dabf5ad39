package dev.berth.autoscaler.core;

import java.time.Instant;

/** A pod's latest resource sample from its node: cpu in millicores over the window ending at {@code at}, memory working set. */
public record Usage(Instant at, long windowMillis, long cpuMillicores, long memoryBytes) {
}
