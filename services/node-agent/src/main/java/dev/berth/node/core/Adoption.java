package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.ContainerState;
import java.time.Instant;
import java.util.List;

/**
 * A restarted agent takes over the containers an earlier agent process of this node left running,
 * instead of starting duplicates. A container whose pod is still placed here is reported again
 * (Running with its restart count, or how it ended while nobody watched); one whose pod was released
 * meanwhile is taken in silently, and the next {@link NodeCore#reconcile} stops and removes it.
 */
public final class Adoption {
    private Adoption() {}

    public static Decision<NodeState> adopt(NodeState s, List<FoundContainer> found, Instant now) {
        Decision<NodeState> d = Decisions.of(s);
        for (FoundContainer c : found) {
            if (d.state().actual().containsKey(c.pod())) continue;
            String pod = PodContainers.podOf(c.pod()); // c.pod() is the runtime id: one of the pod's containers
            NodeState cur = c.podIP() == null ? d.state() : d.state().withPodIP(pod, c.podIP());
            PodRuntime r = new PodRuntime(c.pod(), ContainerState.Running, null, c.restarts(), c.backoffSteps(),
                    c.startedAt(), null, c.gracePeriodSeconds());
            boolean desired = cur.placementOf(c.pod()) != null;
            if (!desired) {
                Integer code = c.running() ? null : c.exit().exitCode();
                d = d.then(after -> Decisions.of(cur.withActual(c.pod(), c.running() ? r : r.with(ContainerState.Exited, code))));
            } else if (c.running()) {
                NodeState with = cur.withActual(c.pod(), r);
                dev.berth.bus.Outbound report = PodStatus.of(with, c.pod(), ContainerState.Running, null,
                        "Adopted", "adopted running container, pid " + c.pid(), c.restarts(), c.imageID());
                d = d.then(after -> Decisions.of(with, report));
            } else {
                d = d.then(after -> Restarts.exited(cur.withActual(c.pod(), r), c.exit(), now));
            }
        }
        return Decisions.remembered(d);
    }
}
