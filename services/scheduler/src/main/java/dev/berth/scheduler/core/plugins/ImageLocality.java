package dev.berth.scheduler.core.plugins;

import dev.berth.bus.ImageReference;
import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import dev.berth.scheduler.core.SchedulerState;
import dev.berth.scheduler.core.ScorePlugin;

/**
 * Prefers nodes that already have the pod's images, so it starts without a pull (Kubernetes'
 * ImageLocality; a pod of several containers scores the sum over its images, capped as Kubernetes caps it at
 * the maximum times the number of containers). Each image's size on the node, scaled by the share of nodes that have it (an image
 * every node has says nothing; one few nodes have counts less, which keeps pods from piling onto the
 * nodes that happen to have it), is mapped onto 0..100 between 23 MB and 1000 MB per container,
 * Kubernetes' thresholds: below 23 MB scores 0, above 1000 MB scores 100.
 */
public record ImageLocality() implements ScorePlugin {
    public static final String NAME = "ImageLocality";
    static final long MIN_BYTES = 23L * 1024 * 1024;
    static final long MAX_BYTES = 1000L * 1024 * 1024;

    @Override public String name() { return NAME; }

    /** Without state no node is known to have anything. */
    @Override
    public double score(PodRequest pod, NodeView node) { return 0; }

    /** The images' normalised names and spreads once per pod: nodes list full references. */
    @Override
    public ScorePlugin forPod(PodRequest pod, SchedulerState state) {
        if (pod.template() == null || state.nodeCount() == 0) return this;
        java.util.Map<String, Double> spreads = new java.util.LinkedHashMap<>();
        for (String ref : pod.template().images()) {
            String image;
            try {
                image = ImageReference.parse(ref).toString();
            } catch (IllegalArgumentException e) {
                continue;
            }
            int having = state.nodesWithImage(image);
            if (having > 0) spreads.put(image, (double) having / state.nodeCount());
        }
        int containers = pod.template().allContainers().size();
        return spreads.isEmpty() ? this : new Local(java.util.Map.copyOf(spreads), Math.max(1, containers));
    }

    /** Kubernetes' calculatePriority over one container's scaled size. */
    static double score(long sizeBytes, double spread) {
        double scaled = sizeBytes * spread;
        double clamped = Math.max(MIN_BYTES, Math.min(MAX_BYTES, scaled));
        return 100.0 * (clamped - MIN_BYTES) / (MAX_BYTES - MIN_BYTES);
    }

    /** Kubernetes' calculatePriority over the sum of the images' scaled sizes, its thresholds times the containers. */
    static double score(long scaledSum, int containers) {
        long max = MAX_BYTES * containers;
        double clamped = Math.max(MIN_BYTES, Math.min(max, scaledSum));
        return 100.0 * (clamped - MIN_BYTES) / (max - MIN_BYTES);
    }

    private record Local(java.util.Map<String, Double> spreads, int containers) implements ScorePlugin {
        @Override public String name() { return NAME; }

        @Override
        public double score(PodRequest pod, NodeView node) {
            if (spreads.size() == 1 && containers == 1) {
                var only = spreads.entrySet().iterator().next();
                Long size = node.images().get(only.getKey());
                return size == null ? 0 : ImageLocality.score(size, only.getValue());
            }
            long sum = 0;
            for (var e : spreads.entrySet()) {
                Long size = node.images().get(e.getKey());
                if (size != null) sum += (long) (size * e.getValue());
            }
            return sum == 0 ? 0 : ImageLocality.score(sum, containers);
        }
    }
}
