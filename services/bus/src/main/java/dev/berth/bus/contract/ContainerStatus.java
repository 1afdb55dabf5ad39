package dev.berth.bus.contract;

/**
 * One container's status inside a {@link PodStatusChanged} (Kubernetes' {@code containerStatuses[]} and
 * {@code initContainerStatuses[]}).
 *
 * @param name         the container's name in its template
 * @param state        what it is doing (Waiting with a reason such as PodInitializing or CrashLoopBackOff, Running, Exited)
 * @param ready        whether it passes its readiness probe (an init container: whether it completed)
 * @param restartCount how often it was restarted
 * @param exitCode     set once it ended
 * @param reason       Completed, Error, OOMKilled, PodInitializing, CrashLoopBackOff, ...; null: none
 * @param image        the image its template names; null in records from before it was reported
 * @param imageID      the digest of the image it runs ({@code repo@sha256:…}), once it started; null before
 */
public record ContainerStatus(String name, ContainerState state, boolean ready, int restartCount, Integer exitCode, String reason,
                              String image, String imageID) {

    public ContainerStatus(String name, ContainerState state, boolean ready, int restartCount, Integer exitCode, String reason) {
        this(name, state, ready, restartCount, exitCode, reason, null, null);
    }
}
