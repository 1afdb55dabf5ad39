package dev.berth.bus.contract;

/** A node agent's report of a pod's container state; {@code exitCode} is set once it ended. */
public record PodStatusChanged(String pod, String node, ContainerState state, Integer exitCode, String reason,
                               String message, int restartCount) implements PodEvent {
}
