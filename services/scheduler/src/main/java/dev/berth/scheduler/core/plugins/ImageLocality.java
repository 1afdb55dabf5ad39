package dev.berth.scheduler.core.plugins;

import dev.berth.bus.ImageReference;
import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import dev.berth.scheduler.core.SchedulerState;
import dev.berth.scheduler.core.ScorePlugin;

/**
 * Prefers nodes that already have the pod's image, so it starts without a pull (Kubernetes'
 * ImageLocality). The image's size on the node, scaled by the share of nodes that have it (an image
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

    /** The image's normalised name and its spread once per pod: nodes list full references. */
    @Override
    public ScorePlugin forPod(PodRequest pod, SchedulerState state) {
        if (pod.template() == null || pod.template().image() == null || state.nodeCount() == 0) return this;
        String image;
        try {
            image = ImageReference.parse(pod.template().image()).toString();
        } catch (IllegalArgumentException e) {
            return this;
        }
        int having = state.nodesWithImage(image);
        return having == 0 ? this : new Local(image, (double) having / state.nodeCount());
    }

    /** Kubernetes' calculatePriority over one container's scaled size. */
    static double score(long sizeBytes, double spread) {
        double scaled = sizeBytes * spread;
        double clamped = Math.max(MIN_BYTES, Math.min(MAX_BYTES, scaled));
        return 100.0 * (clamped - MIN_BYTES) / (MAX_BYTES - MIN_BYTES);
    }

    private record Local(String image, double spread) implements ScorePlugin {
        @Override public String name() { return NAME; }

        @Override
        public double score(PodRequest pod, NodeView node) {
            Long size = node.images().get(image);
            return size == null ? 0 : ImageLocality.score(size, spread);
        }
    }
}
