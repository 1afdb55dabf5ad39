package dev.berth.bus.contract;

/** A fact about one node. */
public sealed interface NodeEvent extends Event permits NodeHeartbeat, NodeStatusChanged {
    /** The node's name. */
    String node();
}
