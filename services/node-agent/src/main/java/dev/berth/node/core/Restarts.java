package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.ContainerState;
import java.time.Duration;
import java.time.Instant;

/**
 * What the node does when a container ends or cannot start: report how it ended (Completed, Error,
 * OOMKilled, StartError), then, if the pod's restart policy says so, wait out an exponential
 * back-off in state Waiting (reason CrashLoopBackOff) until {@link NodeCore#reconcile} starts it again.
 */
public final class Restarts {
    private Restarts() {}

    public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
    public static final String OOM_KILLED = "OOMKilled";

    /** The container's process ended. */
    public static Decision<NodeState> exited(NodeState s, ContainerExit e, Instant now) {
        return Decisions.remembered(ended(s, e, now));
    }

    private static Decision<NodeState> ended(NodeState s, ContainerExit e, Instant now) {
        PodRuntime r = s.actual().get(e.pod());
        // A container being stopped reports Stopped instead; a late report about an earlier run is stale.
        if (r == null || r.restarts() != e.restarts()) return Decisions.of(s);
        if (r.state() != ContainerState.Running && r.state() != ContainerState.Starting) return Decisions.of(s);
        Integer code = e.exitCode();
        String reason;
        String message;
        String restartNote;
        if (e.oomKilled()) {
            reason = OOM_KILLED;
            message = "killed by the kernel for exceeding its memory limit (exit " + code + ")";
            restartNote = "restarting failed container (OOMKilled, exit " + code + ")";
        } else if (code == null) {
            reason = "Unknown";
            message = "container ended while no agent watched it; exit code unknown";
            restartNote = "restarting failed container (exit code unknown)";
        } else if (code == 0) {
            reason = "Completed";
            message = "exited with code 0";
            restartNote = "restarting completed container (exit 0)";
        } else {
            reason = "Error";
            message = "exited with code " + code;
            restartNote = "restarting failed container (exit " + code + ")";
        }
        PodRuntime ended = r.with(ContainerState.Exited, code);
        NodeState next = s.withActual(e.pod(), ended);
        return Decisions.of(next, PodStatus.of(s, r, ContainerState.Exited, code, reason, message))
                .then(after -> backOff(next, ended, code, restartNote, now));
    }

    /** The runtime could not start the container: it never ran, which counts as a failure. */
    public static Decision<NodeState> startFailed(NodeState s, String pod, String message, Instant now) {
        return Decisions.remembered(failedToStart(s, pod, message, now));
    }

    private static Decision<NodeState> failedToStart(NodeState s, String pod, String message, Instant now) {
        PodRuntime r = s.actual().get(pod);
        if (r == null || r.state() != ContainerState.Starting) return Decisions.of(s);
        PodRuntime failed = r.with(ContainerState.Failed, null);
        NodeState next = s.withActual(pod, failed);
        return Decisions.of(next, PodStatus.of(s, r, ContainerState.Failed, null, "StartError", message))
                .then(after -> backOff(next, failed, null, "restarting container that failed to start", now));
    }

    /** Schedules the restart, if any: the delay doubles per consecutive restart unless the run lasted long enough. */
    private static Decision<NodeState> backOff(NodeState s, PodRuntime ended, Integer exitCode, String restartNote, Instant now) {
        if (!s.policy(ended.pod()).restartsAfter(exitCode)) return Decisions.of(s);
        RestartBackoff backoff = s.backoff();
        boolean ranCleanly = ended.startedAt() != null && !now.isBefore(ended.startedAt().plus(backoff.resetAfter()));
        int steps = ranCleanly ? 0 : ended.backoffSteps();
        Duration delay = backoff.delay(steps);
        PodRuntime waiting = ended.waiting(exitCode, steps + 1, now.plus(delay));
        return Decisions.of(s.withActual(ended.pod(), waiting), PodStatus.of(s, waiting, ContainerState.Waiting, exitCode,
                CRASH_LOOP_BACK_OFF, "back-off " + RestartBackoff.format(delay) + " " + restartNote));
    }
}
