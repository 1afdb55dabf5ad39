package dev.berth.bus.contract;

/**
 * A node agent's report of a pod's container state; {@code exitCode} is set once it ended.
 *
 * @param imageID the digest of the image the container runs ({@code repo@sha256:…}, Kubernetes'
 *                containerStatuses.imageID); set when it starts, null otherwise and in logs written before it existed
 * @param podIP   the pod's IPv4 address on its node's pod network (Kubernetes' status.podIP); set once the
 *                pod's network is up, null before and in logs written before it existed
 * @param ready   whether the pod passes its readiness probe (Kubernetes' Ready condition); null: it has none, or the
 *                record predates probes, and a Running pod is ready
 */
public record PodStatusChanged(String pod, String node, ContainerState state, Integer exitCode, String reason,
                               String message, int restartCount, String imageID, String podIP, Boolean ready) implements PodEvent {

    public PodStatusChanged(String pod, String node, ContainerState state, Integer exitCode, String reason,
                            String message, int restartCount, String imageID, String podIP) {
        this(pod, node, state, exitCode, reason, message, restartCount, imageID, podIP, null);
    }

    public PodStatusChanged(String pod, String node, ContainerState state, Integer exitCode, String reason,
                            String message, int restartCount, String imageID) {
        this(pod, node, state, exitCode, reason, message, restartCount, imageID, null);
    }

    public PodStatusChanged(String pod, String node, ContainerState state, Integer exitCode, String reason,
                            String message, int restartCount) {
        this(pod, node, state, exitCode, reason, message, restartCount, null);
    }

    public PodStatusChanged withImageID(String id) {
        return new PodStatusChanged(pod, node, state, exitCode, reason, message, restartCount, id, podIP, ready);
    }

    public PodStatusChanged withPodIP(String ip) {
        return new PodStatusChanged(pod, node, state, exitCode, reason, message, restartCount, imageID, ip, ready);
    }

    public PodStatusChanged withReady(Boolean r) {
        return new PodStatusChanged(pod, node, state, exitCode, reason, message, restartCount, imageID, podIP, r);
    }

    /** Kubernetes' Ready condition: Running, and passing its readiness probe if it has one. */
    public boolean readyForTraffic() {
        return state == ContainerState.Running && !Boolean.FALSE.equals(ready);
    }
}
