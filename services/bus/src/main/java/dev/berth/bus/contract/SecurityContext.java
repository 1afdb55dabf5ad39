package dev.berth.bus.contract;

/**
 * The container's {@code securityContext}, the part Berth honours so far: the user and group its process runs
 * as, over the image's USER. {@code runAsNonRoot} refuses to start a container that would run as uid 0
 * (Kubernetes' CreateContainerConfigError).
 *
 * @param runAsUser  uid; null: the image's USER (or 0)
 * @param runAsGroup gid; null: the image's group, or the user's primary group
 */
public record SecurityContext(Long runAsUser, Long runAsGroup, Boolean runAsNonRoot) {
}
