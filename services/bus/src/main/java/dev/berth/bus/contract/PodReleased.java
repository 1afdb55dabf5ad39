package dev.berth.bus.contract;

/** The scheduler unbound a pod from its node: the node agent stops it and frees its resources. */
public record PodReleased(String pod, String node, String reason) implements PodEvent {
}
