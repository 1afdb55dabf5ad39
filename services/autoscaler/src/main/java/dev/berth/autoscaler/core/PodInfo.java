package dev.berth.autoscaler.core;

import dev.berth.bus.contract.ContainerState;
import java.time.Instant;

/**
 * What the autoscaler knows of one pod: its deployment (key; null until its PodCreated is read), its container's
 * effective requests, its last reported state and readiness, when it started and when its readiness last changed
 * (Kubernetes' StartTime and the Ready condition's lastTransitionTime, by the node's report times), and whether
 * its deletion was asked for.
 */
public record PodInfo(String deploymentKey, Long cpuRequest, Long memoryRequest, ContainerState state, boolean ready,
                      Instant startedAt, Instant readyChangedAt, boolean deleting) {
    public static final PodInfo UNKNOWN = new PodInfo(null, null, null, null, false, null, null, false);

    public PodInfo created(String deployment, Long cpu, Long memory) {
        return new PodInfo(deployment, cpu, memory, state, ready, startedAt, readyChangedAt, deleting);
    }

    public PodInfo reported(ContainerState s, boolean isReady, Instant at) {
        Instant started = startedAt == null && s != null && s != ContainerState.Failed ? at : startedAt;
        Instant changed = readyChangedAt == null || isReady != ready ? at : readyChangedAt;
        return new PodInfo(deploymentKey, cpuRequest, memoryRequest, s, isReady, started, changed, deleting);
    }

    public PodInfo deletionRequested() {
        return new PodInfo(deploymentKey, cpuRequest, memoryRequest, state, ready, startedAt, readyChangedAt, true);
    }

    /** Left out of every metric, as Kubernetes leaves out pods with a deletion timestamp or phase Failed. */
    public boolean ignored() {
        return deleting || state == ContainerState.Failed || state == ContainerState.Stopped;
    }

    /** Kubernetes' phase Pending: no container yet. */
    public boolean pending() {
        return state == null || state == ContainerState.Starting;
    }
}
