package dev.berth.autoscaler.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' replica calculator (pkg/controller/podautoscaler/replica_calculator.go) for one metric:
 * {@code desired = ceil(readyPods × current / target)}, nothing within the tolerance, and its rules for pods without
 * a sample and pods not ready yet: on a scale-up a pod without a sample counts as using nothing and a not-ready pod
 * as using nothing; on a scale-down a pod without a sample counts as using its target (100 % for utilization, or
 * the target if higher); the ratio is then recomputed and any proposal that would reverse the direction, or
 * fall within the tolerance, keeps the current count. Pods being deleted or failed are left out.
 */
public final class ReplicaCalculator {
    /** Kubernetes' --horizontal-pod-autoscaler-tolerance. */
    public static final double DEFAULT_TOLERANCE = 0.1;

    private static final java.math.BigInteger HUNDRED = java.math.BigInteger.valueOf(100);
    private static final java.math.BigInteger LONG_MAX = java.math.BigInteger.valueOf(Long.MAX_VALUE);

    private ReplicaCalculator() {}

    /** How a metric turns samples into a usage ratio (current / target) and a current value. */
    private interface Usage {
        double ratio(Map<String, Long> metrics);

        long current(Map<String, Long> metrics);

        /** What a pod without a sample counts as on a scale-down. */
        long fallback(PodSample pod);
    }

    /** A Resource metric with a Utilization target: usage as a percentage of the pods' requests. */
    public static Proposal utilization(int currentReplicas, List<PodSample> pods, int targetPercent, String resource, double tolerance) {
        if (pods.isEmpty()) return Proposal.invalid("no pods returned by selector while calculating replica count");
        if (targetPercent <= 0) return Proposal.invalid("invalid target utilization " + targetPercent + "%");
        Map<String, Long> requests = new LinkedHashMap<>();
        for (PodSample p : pods) {
            if (p.group() == PodGroup.IGNORED) continue;
            if (p.request() == null || p.request() <= 0) return Proposal.invalid("missing request for " + resource + " in container of Pod " + p.pod());
            requests.put(p.pod(), p.request());
        }
        Usage usage = new Usage() {
            @Override public long current(Map<String, Long> metrics) {
                java.math.BigInteger total = java.math.BigInteger.ZERO, requested = java.math.BigInteger.ZERO;
                for (var m : metrics.entrySet()) {
                    Long r = requests.get(m.getKey());
                    if (r == null) continue;
                    total = total.add(java.math.BigInteger.valueOf(m.getValue()));
                    requested = requested.add(java.math.BigInteger.valueOf(r));
                }
                // Exact, as Kubernetes' int64 arithmetic, without its overflow (memory in bytes × 100 × pods).
                return requested.signum() == 0 ? 0 : total.multiply(HUNDRED).divide(requested).min(LONG_MAX).longValueExact();
            }

            @Override public double ratio(Map<String, Long> metrics) { return (double) current(metrics) / targetPercent; }

            @Override public long fallback(PodSample pod) {
                return java.math.BigInteger.valueOf(pod.request()).multiply(java.math.BigInteger.valueOf(Math.max(100, targetPercent)))
                        .divide(HUNDRED).min(LONG_MAX).longValueExact();
            }
        };
        return calculate(currentReplicas, pods, usage, tolerance);
    }

    /** An AverageValue target (Resource or Pods metric): the pods' mean value against the target, both in milli-units. */
    public static Proposal averageValue(int currentReplicas, List<PodSample> pods, long targetMilli, double tolerance) {
        if (pods.isEmpty()) return Proposal.invalid("no pods returned by selector while calculating replica count");
        if (targetMilli <= 0) return Proposal.invalid("invalid target value " + targetMilli + "m");
        Usage usage = new Usage() {
            @Override public long current(Map<String, Long> metrics) {
                java.math.BigInteger total = java.math.BigInteger.ZERO;
                for (long v : metrics.values()) total = total.add(java.math.BigInteger.valueOf(v));
                return total.divide(java.math.BigInteger.valueOf(metrics.size())).longValueExact();
            }

            @Override public double ratio(Map<String, Long> metrics) { return (double) current(metrics) / targetMilli; }

            @Override public long fallback(PodSample pod) { return targetMilli; }
        };
        return calculate(currentReplicas, pods, usage, tolerance);
    }

    private static Proposal calculate(int currentReplicas, List<PodSample> pods, Usage usage, double tolerance) {
        Map<String, Long> metrics = new LinkedHashMap<>();
        int ready = 0;
        boolean anyUnready = false, anyMissing = false;
        for (PodSample p : pods) {
            switch (p.group()) {
                case READY -> {
                    metrics.put(p.pod(), p.value());
                    ready++;
                }
                case UNREADY -> anyUnready = true;
                case MISSING -> anyMissing = true;
                case IGNORED -> { }
            }
        }
        if (metrics.isEmpty()) return Proposal.invalid("did not receive metrics for targeted pods (pods might be unready)");
        double ratio = usage.ratio(metrics);
        long current = usage.current(metrics);
        boolean scaleUpWithUnready = anyUnready && ratio > 1.0;
        if (!scaleUpWithUnready && !anyMissing) {
            if (Math.abs(1.0 - ratio) <= tolerance) return Proposal.of(currentReplicas, current);
            return Proposal.of((int) Math.ceil(ratio * ready), current);
        }
        for (PodSample p : pods) {
            // Exactly on target: a pod without a sample changes nothing either way.
            if (p.group() == PodGroup.MISSING && ratio < 1.0) metrics.put(p.pod(), usage.fallback(p));
            if (p.group() == PodGroup.MISSING && ratio > 1.0) metrics.put(p.pod(), 0L);
            if (p.group() == PodGroup.UNREADY && scaleUpWithUnready) metrics.put(p.pod(), 0L);
        }
        double newRatio = usage.ratio(metrics);
        if (Math.abs(1.0 - newRatio) <= tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
            return Proposal.of(currentReplicas, current);
        }
        int replicas = (int) Math.ceil(newRatio * metrics.size());
        if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) {
            return Proposal.of(currentReplicas, current);
        }
        return Proposal.of(replicas, current);
    }
}
