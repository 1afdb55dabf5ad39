package dev.berth.bus.contract;

/**
 * The controller found a pod on a node that it never created: placed on the node by a record the
 * scheduler should have written only for the controller's pods, or reported by the node without any
 * placement. The node's agent stops and removes it, and refuses that pod name from then on (a forged
 * placement stays in the log). Keyed by the node, on the topic agents already read for their own status.
 *
 * @param pod   the pod's name as the placement or report gave it
 * @param seen  how the controller learned of it: {@code placement} or {@code status}
 * @param state the container state the node reported, when {@code seen} is {@code status}; otherwise null
 */
public record PodIntruderFound(String node, String pod, String seen, ContainerState state, String reason) implements NodeEvent {
    public static final String BY_PLACEMENT = "placement", BY_STATUS = "status";
}
