package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.node.image.ImageException;
import dev.berth.node.image.PullBackoff;
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
        Health.Kill kill = s.health().kill(e.pod(), e.restarts());
        if (kill != null) {
            // The kubelet's words: the reason stays the exit's (Error for a KILL), the message says which probe failed.
            message = kill.message() + "; the container was killed (" + message + ")";
            restartNote = "restarting container that failed its " + kill.probe().toLowerCase(java.util.Locale.ROOT) + " probe";
        }
        PodRuntime ended = r.with(ContainerState.Exited, code);
        NodeState next = s.withActual(e.pod(), ended);
        String note = restartNote;
        return Decisions.of(next, PodStatus.of(s, r, ContainerState.Exited, code, reason, message))
                .then(after -> backOff(next, ended, code, note, now));
    }

    /** The runtime could not start the container: it never ran, which counts as a failure. */
    public static Decision<NodeState> startFailed(NodeState s, String pod, String message, Instant now) {
        return startFailed(s, pod, START_ERROR, message, now);
    }

    /**
     * As {@link #startFailed(NodeState, String, String, Instant)} with the runtime's reason: the image
     * reasons (ErrImagePull, ErrImageNeverPull, InvalidImageName) wait out the image pull back-off
     * (ImagePullBackOff, whatever the restart policy, no restart counted: the container never existed);
     * any other (StartError, CreateContainerConfigError) the restart back-off.
     */
    public static Decision<NodeState> startFailed(NodeState s, String pod, String reason, String message, Instant now) {
        if (FAILED_CREATE_POD_SANDBOX.equals(reason)) return Decisions.remembered(sandboxFailed(s, pod, message, now));
        if (ConfigWait.REASONS.contains(reason)) return Decisions.remembered(ConfigWait.failed(s, pod, reason, message, now));
        s = s.withPulls(s.pulls().succeeded(NodeState.sandboxKey(pod))); // the sandbox was made this time
        return Decisions.remembered(IMAGE_REASONS.contains(reason) ? pullFailed(s, pod, reason, message, now)
                : failedToStart(s, pod, reason, message, now));
    }

    /** Kubernetes' event reason when the pod's network (CNI ADD) could not be set up. */
    public static final String FAILED_CREATE_POD_SANDBOX = "FailedCreatePodSandBox";

    /**
     * The pod's network could not be set up: Failed with the plugin's answer, then Waiting
     * (FailedCreatePodSandBox) for a back-off of 10 s doubling to 5 min, whatever the restart policy, and
     * no restart counted: as the kubelet retries a sandbox, the container never existed.
     */
    private static Decision<NodeState> sandboxFailed(NodeState s, String pod, String message, Instant now) {
        PodRuntime r = s.actual().get(pod);
        if (r == null || r.state() != ContainerState.Starting) return Decisions.of(s);
        PodRuntime failed = r.with(ContainerState.Failed, null);
        String what = "Failed to create pod sandbox: " + message;
        if (s.placementOf(pod) == null) {
            return Decisions.of(s.withActual(pod, failed), PodStatus.of(s, r, ContainerState.Failed, null, FAILED_CREATE_POD_SANDBOX, what));
        }
        String key = NodeState.sandboxKey(pod);
        PullBackoff backoff = s.pulls().failed(key, now, FAILED_CREATE_POD_SANDBOX, what);
        Instant retryAt = backoff.entries().get(key).retryAt();
        NodeState next = s.withPulls(backoff);
        PodRuntime waiting = failed.waiting(null, r.backoffSteps(), retryAt);
        return Decisions.of(next.withActual(pod, failed), PodStatus.of(s, r, ContainerState.Failed, null, FAILED_CREATE_POD_SANDBOX, what))
                .then(after -> Decisions.of(next.withActual(pod, waiting), PodStatus.of(next, waiting, ContainerState.Waiting, null,
                        FAILED_CREATE_POD_SANDBOX, "back-off " + RestartBackoff.format(java.time.Duration.between(now, retryAt))
                                + " before creating the pod sandbox again: " + what)));
    }

    /** Whether a Waiting pod waits for its sandbox to be created again (not for a restart). */
    static boolean waitingForSandbox(NodeState s, String id) {
        return s.pulls().entries().containsKey(NodeState.sandboxKey(id));
    }

    public static final String START_ERROR = "StartError";
    /** The waiting reasons of a pod whose image could not be had; see {@link dev.berth.node.image.ImageException}. */
    public static final java.util.Set<String> IMAGE_REASONS = java.util.Set.of(
            ImageException.ERR_IMAGE_PULL, ImageException.ERR_IMAGE_NEVER_PULL, ImageException.INVALID_IMAGE_NAME);

    private static Decision<NodeState> failedToStart(NodeState s, String pod, String reason, String message, Instant now) {
        PodRuntime r = s.actual().get(pod);
        if (r == null || r.state() != ContainerState.Starting) return Decisions.of(s);
        PodRuntime failed = r.with(ContainerState.Failed, null);
        NodeState next = s.withActual(pod, failed);
        return Decisions.of(next, PodStatus.of(s, r, ContainerState.Failed, null, reason, message))
                .then(after -> backOff(next, failed, null, "restarting container that failed to start", now));
    }

    /** ErrImagePull (the registry's answer in the message), then Waiting ImagePullBackOff until the next pull is due. */
    private static Decision<NodeState> pullFailed(NodeState s, String pod, String reason, String message, Instant now) {
        PodRuntime r = s.actual().get(pod);
        var container = s.containerOf(pod);
        if (r == null || r.state() != ContainerState.Starting) return Decisions.of(s);
        PodRuntime failed = r.with(ContainerState.Failed, null);
        if (container == null) { // released while pulling: nothing to retry
            return Decisions.of(s.withActual(pod, failed), PodStatus.of(s, r, ContainerState.Failed, null, reason, message));
        }
        String image = container.image();
        String key = NodeState.pullKey(pod, image);
        PullBackoff pulls = s.pulls().failed(key, now, reason, message);
        PullBackoff.Decision wait = pulls.decide(key, image, now);
        NodeState next = s.withPulls(pulls);
        PodRuntime waiting = failed.waiting(null, r.backoffSteps(), pulls.entries().get(key).retryAt());
        return Decisions.of(next.withActual(pod, failed), PodStatus.of(s, r, ContainerState.Failed, null, reason, message))
                .then(after -> Decisions.of(next.withActual(pod, waiting),
                        PodStatus.of(next, waiting, ContainerState.Waiting, null, wait.reason(), wait.message())));
    }

    /** Whether a Waiting pod waits for its image's next pull (not for a restart). */
    static boolean waitingForPull(NodeState s, String id, String image) {
        return s.pulls().entries().containsKey(NodeState.pullKey(id, image));
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
