package dev.berth.bus.contract;

/** A fact about one pod: what folds, routes and explains a pod's history look at. */
public sealed interface PodEvent extends Event permits PodCreated, PodDeletionRequested, PodLost, PodPlaced, PodReleased,
        PodUnschedulable, PodStatusChanged, PodUnhealthy {
    /** The pod's name. */
    String pod();
}
