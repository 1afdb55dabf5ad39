package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.FilterPlugin;
import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import java.time.Instant;

/** Rejects cordoned nodes (Kubernetes' plugin of the same name): their pods keep running, no new ones come. */
public record NodeUnschedulable() implements FilterPlugin {
    public static final String CORDONED = "node cordoned";

    @Override public String name() { return "NodeUnschedulable"; }

    @Override
    public String filter(PodRequest pod, NodeView node, Instant now) {
        return node.cordoned() ? CORDONED : null;
    }
}
