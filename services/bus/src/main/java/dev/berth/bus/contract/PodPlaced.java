package dev.berth.bus.contract;

import java.util.List;
import java.util.Map;

/**
 * The scheduler bound a pod to a node. Carries the full template so the node agent needs no
 * other topic, and the explanation of the decision.
 *
 * @param nodesConsidered nodes known when deciding
 * @param filtered        per filter reason, how many nodes it rejected
 * @param topCandidates   best-scoring nodes, the chosen one first
 */
public record PodPlaced(String pod, String node, String deployment, PodTemplate template,
                        int nodesConsidered, Map<String, Integer> filtered, List<NodeScore> topCandidates)
        implements Event {
    public PodPlaced {
        filtered = filtered == null ? Map.of() : Map.copyOf(filtered);
        topCandidates = topCandidates == null ? List.of() : List.copyOf(topCandidates);
    }

    /** One candidate's per-plugin scores (0..100 each) and their total weighted as the scheduler's profile weighs them. */
    public record NodeScore(String node, double total, Map<String, Double> scores) {
        public NodeScore {
            scores = scores == null ? Map.of() : Map.copyOf(scores);
        }
    }
}
