package dev.berth.scheduler.core.plugins;

import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import dev.berth.scheduler.core.ReplicaCounts;
import dev.berth.scheduler.core.ScorePlugin;
import dev.berth.scheduler.core.SchedulerState;

/**
 * Spreads the replicas of one deployment over nodes and zones, so losing a node or a zone loses few
 * of them (Kubernetes' SelectorSpread, the deployment standing in for its label selector).
 *
 * <p>Node part: 100 × (max − here) / max, where {@code here} counts the deployment's pods on the node
 * and {@code max} is the most on any one node, so a node without any scores 100 and the most
 * crowded 0. Zone part: the same over the zone label ({@code topology.kubernetes.io/zone}, else
 * {@code zone}). A node with a zone scores ⅓ node part + ⅔ zone part (Kubernetes' weighting: zones
 * matter more), a node without one its node part. Unlike Kubernetes, counts cover every node, not
 * only those that passed the filters: a replica on a full node still shares that node's fate.
 */
public record SelectorSpread() implements ScorePlugin {
    public static final String NAME = "SelectorSpread";
    static final double ZONE_WEIGHT = 2.0 / 3;

    @Override public String name() { return NAME; }

    /** Without state nothing is known about the replicas: every node scores alike. */
    @Override
    public double score(PodRequest pod, NodeView node) { return 100; }

    /** Reads the largest counts once per pod: each is a tree lookup, too dear to repeat per node. */
    @Override
    public ScorePlugin forPod(PodRequest pod, SchedulerState state) {
        ReplicaCounts.Spread replicas = state.replicaSpread(pod.deployment());
        return new Spreading(replicas, replicas.maxOnNode(), replicas.maxInZone());
    }

    private record Spreading(ReplicaCounts.Spread replicas, int maxOnNode, int maxInZone) implements ScorePlugin {
        @Override public String name() { return NAME; }

        @Override
        public double score(PodRequest pod, NodeView node) {
            // Without any replica on a node (or in a zone) every part is 100: no count to look up.
            double nodePart = maxOnNode == 0 ? 100 : part(replicas.onNode(node.name()), maxOnNode);
            String zone = node.zone();
            if (zone == null) return nodePart;
            double zonePart = maxInZone == 0 ? 100 : part(replicas.inZone(zone), maxInZone);
            return nodePart * (1 - ZONE_WEIGHT) + zonePart * ZONE_WEIGHT;
        }

        private static double part(int here, int max) {
            return max == 0 ? 100 : 100.0 * (max - here) / max;
        }
    }
}
