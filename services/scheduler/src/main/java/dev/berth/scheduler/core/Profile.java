package dev.berth.scheduler.core;

import dev.berth.scheduler.core.plugins.BalancedAllocation;
import dev.berth.scheduler.core.plugins.ImageLocality;
import dev.berth.scheduler.core.plugins.LeastAllocated;
import dev.berth.scheduler.core.plugins.MostAllocated;
import dev.berth.scheduler.core.plugins.NodePorts;
import dev.berth.scheduler.core.plugins.NodeReady;
import dev.berth.scheduler.core.plugins.NodeSelector;
import dev.berth.scheduler.core.plugins.NodeUnschedulable;
import dev.berth.scheduler.core.plugins.ResourcesFit;
import dev.berth.scheduler.core.plugins.SelectorSpread;
import dev.berth.scheduler.core.plugins.TaintToleration;
import java.time.Duration;
import java.util.List;

/**
 * The plugins one scheduling pass runs: every filter in order (a node is rejected by the first that
 * fails, and counted under that reason only), then every score plugin on the nodes left; a node's
 * total is the sum of weight × score.
 */
public record Profile(List<FilterPlugin> filters, List<Weighted> scorers, NodeSampling sampling) {

    /** A score plugin and how much its 0..100 score counts in the total. */
    public record Weighted(ScorePlugin plugin, int weight) {
        public Weighted {
            if (weight < 1) throw new IllegalArgumentException("weight of " + plugin.name() + " must be at least 1");
        }
    }

    public Profile {
        filters = List.copyOf(filters);
        scorers = List.copyOf(scorers);
        sampling = sampling == null ? NodeSampling.ALL : sampling;
    }

    /** A profile that examines every node for every pod. */
    public Profile(List<FilterPlugin> filters, List<Weighted> scorers) { this(filters, scorers, NodeSampling.ALL); }

    public Profile withSampling(NodeSampling s) { return new Profile(filters, scorers, s); }

    /** Every plugin weighing 1. */
    public static Profile unweighted(List<FilterPlugin> filters, List<ScorePlugin> scorers) {
        return new Profile(filters, scorers.stream().map(s -> new Weighted(s, 1)).toList());
    }

    /**
     * The standard profile for a policy; {@code nodeStaleness} is how old a heartbeat may be for a ready node.
     *
     * <p>Filters go from what rules a node out for every pod (not ready, cordoned) over what the pod
     * asks of its labels and taints to room, so an unschedulable message names the most basic reason.
     *
     * <p>Weights. SPREAD: LeastAllocated 1, BalancedAllocation 1, SelectorSpread 2 — keeping a
     * deployment's replicas apart comes first (SelectorSpread alone spans 200 points between the most
     * crowded node and one without a replica; Kubernetes weighs its default spreading 2 as well); room
     * and balance decide between nodes equally good for spreading, and between pods of different
     * deployments. BINPACK: MostAllocated 2, BalancedAllocation 1 — placing a pod raises MostAllocated
     * by the mean of the two fractions it adds and lowers BalancedAllocation by at most half their
     * difference, so with weight 2 a node that already holds pods always beats an empty one for the
     * same pod shape (at weight 1 they would tie when a pod asks for cpu only), and nodes fill one after
     * the other; between nodes of different shapes balance still has a say. BINPACK does not spread
     * replicas: packing is its point. Both add ImageLocality 1 (Kubernetes' default weight): at most
     * 100 points for a node holding a large image most nodes have, nothing for images under 23 MB.
     *
     * <p>Sampling: both examine nodes until {@link NodeSampling#DEFAULT_PERCENTAGE}% of them (at least
     * 100) are feasible; SPREAD starts each pod where the last one stopped, BINPACK always at the first
     * node, so it keeps filling the same nodes.
     */
    public static Profile of(SchedulingPolicy policy, Duration nodeStaleness) {
        return of(policy, nodeStaleness, NodeSampling.DEFAULT_PERCENTAGE);
    }

    /** As {@link #of(SchedulingPolicy, Duration)}, finding {@code percentage}% of the nodes feasible (100: every node). */
    public static Profile of(SchedulingPolicy policy, Duration nodeStaleness, int percentage) {
        List<FilterPlugin> filters = List.of(new NodeReady(nodeStaleness), new NodeUnschedulable(), new NodeSelector(),
                new TaintToleration(), new NodePorts(), new ResourcesFit());
        return switch (policy) {
            case SPREAD -> new Profile(filters, List.of(new Weighted(new LeastAllocated(), 1),
                    new Weighted(new BalancedAllocation(), 1), new Weighted(new SelectorSpread(), 2),
                    new Weighted(new ImageLocality(), 1)),
                    NodeSampling.rotating(percentage));
            case BINPACK -> new Profile(filters, List.of(new Weighted(new MostAllocated(), 2),
                    new Weighted(new BalancedAllocation(), 1), new Weighted(new ImageLocality(), 1)),
                    NodeSampling.fromFirst(percentage));
        };
    }
}
