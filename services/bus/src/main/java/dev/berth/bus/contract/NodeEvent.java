package dev.berth.bus.contract;

/** A fact about one node. */
public sealed interface NodeEvent extends Event permits NodeHeartbeat, NodeStatusChanged, PodIntruderFound {
    /** The node's name. */
    String node();
}
