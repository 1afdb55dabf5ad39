package dev.berth.bus.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A node agent's report of a pod's container state; {@code exitCode} is set once it ended.
 *
 * @param imageID the digest of the image the container runs ({@code repo@sha256:…}, Kubernetes'
 *                containerStatuses.imageID); set when it starts, null otherwise and in logs written before it existed
 * @param podIP   the pod's IPv4 address on its node's pod network (Kubernetes' status.podIP); set once the
 *                pod's network is up, null before and in logs written before it existed
 * @param ready   whether the pod passes its readiness probe (Kubernetes' Ready condition); null: it has none, or the
 *                record predates probes, and a Running pod is ready
 * @param containerStatuses     each app container's status (Kubernetes' containerStatuses); empty in older logs, whose
 *                              pods had one container, the pod's own state
 * @param initContainerStatuses each init container's status, in order; empty when it has none and in older logs
 */
public record PodStatusChanged(String pod, String node, ContainerState state, Integer exitCode, String reason,
                               String message, int restartCount, String imageID, String podIP, Boolean ready,
                               @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.List<ContainerStatus> containerStatuses,
                               @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.List<ContainerStatus> initContainerStatuses) implements PodEvent {

    public PodStatusChanged {
        containerStatuses = containerStatuses == null ? java.util.List.of() : java.util.List.copyOf(containerStatuses);
        initContainerStatuses = initContainerStatuses == null ? java.util.List.of() : java.util.List.copyOf(initContainerStatuses);
    }

    public PodStatusChanged(String pod, String node, ContainerState state, Integer exitCode, String reason,
                            String message, int restartCount, String imageID, String podIP, Boolean ready) {
        this(pod, node, state, exitCode, reason, message, restartCount, imageID, podIP, ready, null, null);
    }

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
        return new PodStatusChanged(pod, node, state, exitCode, reason, message, restartCount, id, podIP, ready, containerStatuses, initContainerStatuses);
    }

    public PodStatusChanged withPodIP(String ip) {
        return new PodStatusChanged(pod, node, state, exitCode, reason, message, restartCount, imageID, ip, ready, containerStatuses, initContainerStatuses);
    }

    public PodStatusChanged withReady(Boolean r) {
        return new PodStatusChanged(pod, node, state, exitCode, reason, message, restartCount, imageID, podIP, r, containerStatuses, initContainerStatuses);
    }

    /** This status with its containers' statuses. */
    public PodStatusChanged withContainerStatuses(java.util.List<ContainerStatus> app, java.util.List<ContainerStatus> init) {
        return new PodStatusChanged(pod, node, state, exitCode, reason, message, restartCount, imageID, podIP, ready, app, init);
    }

    /** kubectl's READY column: ready app containers of all of them ("1/1" for a pod from before container statuses). */
    public String readyColumn() {
        if (containerStatuses.isEmpty()) return (readyForTraffic() ? 1 : 0) + "/1";
        return containerStatuses.stream().filter(ContainerStatus::ready).count() + "/" + containerStatuses.size();
    }

    /** Kubernetes' Ready condition: Running, and passing its readiness probe if it has one. */
    public boolean readyForTraffic() {
        return state == ContainerState.Running && !Boolean.FALSE.equals(ready);
    }
}
