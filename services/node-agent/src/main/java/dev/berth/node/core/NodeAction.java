package dev.berth.node.core;

import dev.berth.bus.contract.PodTemplate;

/** Side effects the node core asks its shell to perform on the container runtime. */
public sealed interface NodeAction {
    String pod();

    /** Launch the pod's container. */
    record StartContainer(String pod, PodTemplate template) implements NodeAction {}

    /** Stop the pod's container (TERM, grace, KILL) and remove its runc state, cgroups and bundle. */
    record StopContainer(String pod, int gracePeriodSeconds) implements NodeAction {}
}
