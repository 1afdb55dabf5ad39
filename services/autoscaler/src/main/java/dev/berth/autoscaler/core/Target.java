package dev.berth.autoscaler.core;

/**
 * A Deployment as the autoscaler sees it: its desired replicas (the scale subresource's spec.replicas) and, when its
 * last change of size did not come from the autoscaler (a user's {@code berth scale} or apply), that size: the
 * autoscaler overrides it at its next scale, as Kubernetes' does, and says so.
 */
public record Target(int replicas, Integer setOutside) {
}
