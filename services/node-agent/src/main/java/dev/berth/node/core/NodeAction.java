package dev.berth.node.core;

import dev.berth.bus.contract.PodTemplate;

/**
 * Side effects the node core asks its shell to perform on the container runtime. {@code pod} is the runtime id
 * of one container ({@link PodContainers}: the pod's name for a single-container pod, {@code pod_container}
 * otherwise), the pod's name for {@link RemovePodNetwork}.
 */
public sealed interface NodeAction {
    String pod();

    /**
     * Launch the pod's container, replacing what is left of its previous run. {@code restarts} and
     * {@code backoffSteps} travel with the container, so a restarted agent that adopts it knows them.
     */
    record StartContainer(String pod, PodTemplate template, int restarts, int backoffSteps) implements NodeAction {}

    /** Stop the pod's container (TERM, grace, KILL) and remove its runc state, cgroups and bundle. */
    record StopContainer(String pod, int gracePeriodSeconds) implements NodeAction {}

    /**
     * Kill run {@code restarts} of the pod's container (TERM, grace, KILL) and keep what it leaves: it failed its liveness
     * or startup probe, and its exit, reported as any other, lets the restart policy decide what follows.
     */
    record KillContainer(String pod, int gracePeriodSeconds, int restarts) implements NodeAction {}

    /**
     * The last container of a pod of several is removed: its network goes (a single-container pod's goes with the
     * stop of its container).
     */
    record RemovePodNetwork(String pod) implements NodeAction {}
}
