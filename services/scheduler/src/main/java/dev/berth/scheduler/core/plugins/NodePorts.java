package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.FilterPlugin;
import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import dev.berth.scheduler.core.SchedulerState;
import java.time.Instant;
import java.util.List;

/**
 * Kubernetes' NodePorts filter: a pod whose containers publish a hostPort goes only to a node where no
 * bound pod publishes the same port and protocol (the node could not give it to both). Pods without a
 * hostPort skip the check (PreFilter).
 */
public record NodePorts() implements FilterPlugin {
    public static final String NO_FREE_PORTS = "node(s) didn't have free ports for the requested pod ports";

    @Override public String name() { return "NodePorts"; }

    @Override
    public String filter(PodRequest pod, NodeView node, Instant now) {
        FilterPlugin f = forPod(pod);
        return f == null ? null : f.filter(pod, node, now);
    }

    @Override
    public FilterPlugin forPod(PodRequest pod) {
        List<String> wanted = SchedulerState.hostPorts(pod.template());
        return wanted.isEmpty() ? null : new Wanting(wanted);
    }

    /** The check for one pod's host ports. */
    record Wanting(List<String> ports) implements FilterPlugin {
        @Override public String name() { return "NodePorts"; }

        @Override
        public String filter(PodRequest pod, NodeView node, Instant now) {
            if (node.usedHostPorts().isEmpty()) return null;
            for (int i = 0; i < ports.size(); i++) if (node.usedHostPorts().contains(ports.get(i))) return NO_FREE_PORTS;
            return null;
        }
    }
}
