package dev.berth.autoscaler.core;

/**
 * One pod's part in one metric: its group, its current value (millicores for cpu, bytes for memory, milli-units for
 * a Pods metric; only meaningful for {@link PodGroup#READY}) and its request in the same unit as the value (Resource
 * metrics with a Utilization target; null: the pod's container has none).
 */
public record PodSample(String pod, PodGroup group, long value, Long request) {
    public static PodSample ready(String pod, long value, Long request) { return new PodSample(pod, PodGroup.READY, value, request); }

    public static PodSample unready(String pod, Long request) { return new PodSample(pod, PodGroup.UNREADY, 0, request); }

    public static PodSample missing(String pod, Long request) { return new PodSample(pod, PodGroup.MISSING, 0, request); }

    public static PodSample ignored(String pod, Long request) { return new PodSample(pod, PodGroup.IGNORED, 0, request); }
}
