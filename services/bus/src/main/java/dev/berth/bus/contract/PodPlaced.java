package dev.berth.bus.contract;

import java.util.List;
import java.util.Map;

/**
 * The scheduler bound a pod to a node. Carries the full template so the node agent needs no
 * other topic, and the explanation of the decision.
 *
 * @param nodesConsidered nodes the scheduler examined (filtered or scored)
 * @param filtered        per filter reason, how many of those nodes it rejected
 * @param topCandidates   best-scoring nodes, the chosen one first
 * @param nodesKnown      every node the scheduler knew, when it examined only a sample of them; else null
 * @param namespace       the pod's namespace, from its PodCreated; absent (records written before namespaces): default
 */
public record PodPlaced(String pod, String node, String deployment, PodTemplate template,
                        int nodesConsidered, Map<String, Integer> filtered, List<NodeScore> topCandidates,
                        Integer nodesKnown, String namespace)
        implements PodEvent {
    public PodPlaced {
        filtered = filtered == null ? Map.of() : Map.copyOf(filtered);
        topCandidates = topCandidates == null ? List.of() : List.copyOf(topCandidates);
        namespace = Namespaces.orDefault(namespace);
        template = template == null ? null : template.named(deployment);
    }

    /** A placement of a pod in the default namespace. */
    public PodPlaced(String pod, String node, String deployment, PodTemplate template,
                     int nodesConsidered, Map<String, Integer> filtered, List<NodeScore> topCandidates, Integer nodesKnown) {
        this(pod, node, deployment, template, nodesConsidered, filtered, topCandidates, nodesKnown, null);
    }

    /** A placement that examined every known node. */
    public PodPlaced(String pod, String node, String deployment, PodTemplate template,
                     int nodesConsidered, Map<String, Integer> filtered, List<NodeScore> topCandidates) {
        this(pod, node, deployment, template, nodesConsidered, filtered, topCandidates, null);
    }

    /** Its deployment's {@link Namespaces#key}. */
    public String deploymentKey() { return Namespaces.key(namespace, deployment); }

    /** Whether the scheduler examined only a sample of the nodes it knew. */
    public boolean sampled() { return nodesKnown != null && nodesKnown > nodesConsidered; }

    /** One candidate's per-plugin scores (0..100 each) and their total weighted as the scheduler's profile weighs them. */
    public record NodeScore(String node, double total, Map<String, Double> scores) {
        public NodeScore {
            scores = scores == null ? Map.of() : Map.copyOf(scores);
        }
    }
}
