package dev.berth.scheduler.core;

/**
 * How many nodes a pod's pass examines (Kubernetes' percentageOfNodesToScore): in a large cluster
 * the pass stops once it has found enough feasible nodes instead of scoring all of them, trading a
 * slightly less than optimal node for a pass whose cost does not grow with the cluster. A pod that
 * fits nowhere still sees every node, so its unschedulable message counts them all.
 *
 * @param minFeasible feasible nodes to find at least (all of them when the cluster is smaller)
 * @param percentage  share of the cluster's nodes to find when that is more than {@code minFeasible}
 * @param rotate      whether each pass starts where the previous one stopped, so successive pods
 *                    see different nodes (spreading); without, every pass starts at the first node
 *                    in name order, so nodes fill one after the other (bin-packing)
 */
public record NodeSampling(int minFeasible, int percentage, boolean rotate) {
    /** Every node, every time. */
    public static final NodeSampling ALL = new NodeSampling(Integer.MAX_VALUE, 100, false);
    /** Kubernetes' floor of feasible nodes to find. */
    public static final int MIN_FEASIBLE = 100;
    /** Berth's default share: 100 of 5,000 nodes, 1,000 of 50,000. */
    public static final int DEFAULT_PERCENTAGE = 2;

    public NodeSampling {
        if (minFeasible < 1) throw new IllegalArgumentException("minFeasible must be at least 1");
        if (percentage < 1 || percentage > 100) throw new IllegalArgumentException("percentage must be 1..100");
    }

    public static NodeSampling rotating(int percentage) { return new NodeSampling(MIN_FEASIBLE, percentage, true); }

    public static NodeSampling fromFirst(int percentage) { return new NodeSampling(MIN_FEASIBLE, percentage, false); }

    /** How many feasible nodes a pass over {@code nodes} nodes looks for before it stops. */
    public int feasibleToFind(int nodes) {
        long share = (long) nodes * percentage / 100;
        return (int) Math.min(nodes, Math.max(minFeasible, share));
    }
}
