package dev.berth.bus.contract;

/** Facts that services publish about the cluster. */
public sealed interface Event extends Payload permits
        CommandAccepted, CommandRejected,
        DeploymentApplied, DeploymentScaled, DeploymentDeleted,
        PodCreated, PodDeletionRequested, PodLost,
        NodeStatusChanged,
        PodPlaced, PodReleased, PodUnschedulable, SchedulingStep,
        NodeHeartbeat, PodStatusChanged {
}
