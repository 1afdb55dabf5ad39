package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.FilterPlugin;
import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import java.time.Instant;
import java.util.Map;

/**
 * Rejects nodes that lack a label of the pod's node selector, or carry it with another value
 * (Kubernetes' nodeSelector, checked by its NodeAffinity plugin). A pod without a selector fits anywhere.
 */
public record NodeSelector() implements FilterPlugin {
    public static final String MISMATCH = "didn't match node selector";

    @Override public String name() { return "NodeSelector"; }

    @Override
    public String filter(PodRequest pod, NodeView node, Instant now) {
        FilterPlugin forPod = forPod(pod);
        return forPod == null ? null : forPod.filter(pod, node, now);
    }

    /** The selector as arrays, so each node costs a few label lookups; null for a pod without selector. */
    @Override
    public FilterPlugin forPod(PodRequest pod) {
        Map<String, String> selector = pod.nodeSelector();
        if (selector.isEmpty()) return null;
        String[] keys = new String[selector.size()];
        String[] values = new String[selector.size()];
        int i = 0;
        for (var e : selector.entrySet()) {
            keys[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return new Selector(keys, values);
    }

    private record Selector(String[] keys, String[] values) implements FilterPlugin {
        @Override public String name() { return "NodeSelector"; }

        @Override
        public String filter(PodRequest pod, NodeView node, Instant now) {
            Map<String, String> labels = node.labels();
            for (int i = 0; i < keys.length; i++) {
                if (!values[i].equals(labels.get(keys[i]))) return MISMATCH;
            }
            return null;
        }
    }
}
