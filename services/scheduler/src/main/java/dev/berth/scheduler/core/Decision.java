package dev.berth.scheduler.core;

import dev.berth.bus.contract.PodPlaced.NodeScore;
import java.util.List;
import java.util.Map;

/** The outcome of one scheduling pass for one pod, with what explains it. */
public sealed interface Decision {

    /** Nodes the pass examined (filtered or scored): every known node, unless sampling stopped it early. */
    int nodesConsidered();

    /** Per filter reason, how many nodes it rejected. */
    Map<String, Integer> filtered();

    /**
     * The pod goes to {@code node}; {@code topCandidates} are the best three, the chosen one first;
     * {@code nodesKnown} is every node known, of which {@code nodesConsidered} were examined.
     */
    record Placed(String node, int nodesConsidered, int nodesKnown, Map<String, Integer> filtered,
                  List<NodeScore> topCandidates) implements Decision {}

    /** No node passed every filter; {@code message} reads like Kubernetes'. */
    record Unschedulable(String message, int nodesConsidered, Map<String, Integer> filtered) implements Decision {}
}
