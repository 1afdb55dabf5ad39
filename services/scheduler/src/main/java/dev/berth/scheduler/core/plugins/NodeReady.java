package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.FilterPlugin;
import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * Rejects nodes that are not ready: NotReady as the controller published it, or, for a node the
 * controller has said nothing about yet, a node whose last heartbeat is older than the staleness window.
 */
public record NodeReady(Duration staleness) implements FilterPlugin {
    public static final String NOT_READY = "node not ready";
    public static final Duration DEFAULT_STALENESS = Duration.ofSeconds(5);

    @Override public String name() { return "NodeReady"; }

    @Override
    public String filter(PodRequest pod, NodeView node, Instant now) {
        return node.isReady(now, staleness) ? null : NOT_READY;
    }
}
