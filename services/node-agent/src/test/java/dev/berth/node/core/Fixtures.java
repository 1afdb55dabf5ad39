package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Shared inputs for the node core tests: time is data, so every test picks its instants. */
final class Fixtures {
    private Fixtures() {}

    static final String NODE = "node-1";
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    /** 1 s doubling to 60 s, reset after 2 min of clean running: the dev defaults. */
    static final RestartBackoff BACKOFF = RestartBackoff.DEV_DEFAULTS;

    static PodPlaced placement(String pod, String node) {
        return placement(pod, node, "Always");
    }

    static PodPlaced placement(String pod, String node, String restartPolicy) {
        PodTemplate t = Samples.template();
        PodTemplate withPolicy = new PodTemplate(t.image(), t.command(), t.args(), t.env(), t.resources(), restartPolicy,
                t.terminationGracePeriodSeconds());
        return new PodPlaced(pod, node, "web", withPolicy, 1, Map.of(), List.of());
    }

    static NodeState withPods(String... pods) {
        NodeState s = NodeState.empty(NODE, BACKOFF);
        for (String p : pods) s = NodeCore.placed(s, placement(p, NODE));
        return s;
    }

    static NodeState withPod(String pod, String restartPolicy) {
        return NodeCore.placed(NodeState.empty(NODE, BACKOFF), placement(pod, NODE, restartPolicy));
    }

    /** Placed, started and running since {@code at}. */
    static NodeState running(NodeState s, String pod, Instant at) {
        s = NodeCore.reconcile(s, at).state();
        return NodeCore.started(s, pod, 100, at).state();
    }

    static ContainerExit exit(NodeState s, String pod, Integer code) {
        return new ContainerExit(pod, s.actual().get(pod).restarts(), code, false);
    }

    static List<ContainerState> states(Decision<NodeState> d) {
        return statuses(d).stream().map(PodStatusChanged::state).toList();
    }

    static List<PodStatusChanged> statuses(Decision<NodeState> d) {
        return d.outputs().stream().map(o -> (PodStatusChanged) o.payload()).toList();
    }

    static PodStatusChanged last(Decision<NodeState> d) {
        List<PodStatusChanged> all = statuses(d);
        return all.get(all.size() - 1);
    }

    static Instant at(long seconds) {
        return T0.plus(Duration.ofSeconds(seconds));
    }

    static Instant atMillis(long millis) {
        return T0.plus(Duration.ofMillis(millis));
    }
}
