package dev.berth.node.core;

import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodStatusChanged;

/** Builds the node's reports on berth.pod-status, keyed by pod. */
final class PodStatus {
    private PodStatus() {}

    static Outbound of(NodeState s, PodRuntime r, ContainerState state, Integer exitCode, String reason, String message) {
        return of(s, r.pod(), state, exitCode, reason, message, r.restarts());
    }

    static Outbound of(NodeState s, String pod, ContainerState state, Integer exitCode, String reason, String message,
                       int restarts) {
        return of(new PodStatusChanged(pod, s.node(), state, exitCode, reason, message, restarts, null, s.network().podIPs().get(pod),
                Probes.readyOf(s, pod, state)));
    }

    static Outbound of(PodStatusChanged status) {
        return new Outbound(Topic.POD_STATUS, status.pod(), status);
    }
}
