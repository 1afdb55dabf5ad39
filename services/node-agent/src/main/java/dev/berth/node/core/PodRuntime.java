package dev.berth.node.core;

import dev.berth.bus.contract.ContainerState;
import java.time.Instant;

/**
 * What the node knows of one pod's container.
 *
 * @param exitCode           the last exit code, once a run ended
 * @param restarts           how often the container was restarted (never reset)
 * @param backoffSteps       consecutive restarts since the back-off was last reset
 * @param startedAt          when the current run started (Running), else when the last one did
 * @param restartAt          when a Waiting container is due to start again
 * @param gracePeriodSeconds TERM-to-KILL time, kept here because a released pod's placement is gone
 */
public record PodRuntime(String pod, ContainerState state, Integer exitCode, int restarts, int backoffSteps,
                         Instant startedAt, Instant restartAt, int gracePeriodSeconds) {

    static PodRuntime starting(String pod, int restarts, int backoffSteps, int gracePeriodSeconds) {
        return new PodRuntime(pod, ContainerState.Starting, null, restarts, backoffSteps, null, null, gracePeriodSeconds);
    }

    /** Placed, but held back until the node has its pod CIDR: Waiting with no restart due. */
    static PodRuntime waitingForNetwork(String pod, int gracePeriodSeconds) {
        return new PodRuntime(pod, ContainerState.Waiting, null, 0, 0, null, null, gracePeriodSeconds);
    }

    boolean waitsForNetwork() { return state == ContainerState.Waiting && restartAt == null; }

    PodRuntime with(ContainerState s, Integer code) {
        return new PodRuntime(pod, s, code, restarts, backoffSteps, startedAt, null, gracePeriodSeconds);
    }

    PodRuntime running(Instant since) {
        return new PodRuntime(pod, ContainerState.Running, null, restarts, backoffSteps, since, null, gracePeriodSeconds);
    }

    PodRuntime waiting(Integer code, int steps, Instant due) {
        return new PodRuntime(pod, ContainerState.Waiting, code, restarts, steps, startedAt, due, gracePeriodSeconds);
    }
}
