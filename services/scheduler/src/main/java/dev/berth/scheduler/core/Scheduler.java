package dev.berth.scheduler.core;

import dev.berth.bus.contract.PodPlaced.NodeScore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One scheduling pass, like kube-scheduler's framework: nodes run the filters (the first failing
 * filter's reason is counted), the nodes left are scored by every score plugin, and the best weighted
 * total wins. In a large cluster the pass stops once the profile's {@link NodeSampling} has found
 * enough feasible nodes. Deterministic: the same state, pod and pass history give the same decision,
 * and equal totals go to the node whose name sorts first.
 *
 * <p>The per-node loop allocates nothing: plugins prepare what depends on the pod once
 * ({@code forPod}), totals are plain doubles, and per-plugin scores are built only for the few top
 * candidates the explanation shows.
 */
public final class Scheduler {
    public static final int TOP_CANDIDATES = 3;
    public static final String NO_NODES = "0/0 nodes available: no nodes registered.";

    private final Profile profile;
    /**
     * Where the next rotating pass starts, in name order. Not part of {@link SchedulerState}: it starts
     * at the first node with every scheduler incarnation, and replay re-bases each incarnation alike.
     */
    private int nextStart;

    public Scheduler(Profile profile) { this.profile = profile; }

    public Profile profile() { return profile; }

    public Decision schedule(SchedulerState state, PodRequest pod, Instant now) {
        NodeView[] nodes = state.viewsInNameOrder();
        int total = nodes.length;
        if (total == 0) return new Decision.Unschedulable(NO_NODES, 0, Map.of());

        FilterPlugin[] filters = filtersFor(pod);
        ScorePlugin[] scorers = new ScorePlugin[profile.scorers().size()];
        int[] weights = new int[scorers.length];
        for (int i = 0; i < scorers.length; i++) {
            Profile.Weighted w = profile.scorers().get(i);
            scorers[i] = w.plugin().forPod(pod, state);
            weights[i] = w.weight();
        }

        NodeSampling sampling = profile.sampling();
        int wanted = sampling.feasibleToFind(total);
        int start = sampling.rotate() ? nextStart % total : 0;
        Map<String, int[]> rejected = new HashMap<>();
        Best best = new Best(TOP_CANDIDATES);
        // Rejected nodes tend to come in runs with the same reason (a packed prefix of full nodes), so
        // the count of the last reason is kept at hand instead of looked up per node.
        String lastReason = null;
        int[] lastReasonCount = null;
        int examined = 0, feasible = 0;
        for (; examined < total && feasible < wanted; examined++) {
            NodeView node = nodes[(start + examined) % total];
            String reason = firstRejection(filters, pod, node, now);
            if (reason != null) {
                if (!reason.equals(lastReason)) {
                    lastReason = reason;
                    lastReasonCount = rejected.computeIfAbsent(reason, r -> new int[1]);
                }
                lastReasonCount[0]++;
            } else {
                feasible++;
                best.offer(node, total(scorers, weights, pod, node));
            }
        }
        if (sampling.rotate()) nextStart = (start + examined) % total;

        Map<String, Integer> filtered = new TreeMap<>();
        rejected.forEach((reason, count) -> filtered.put(reason, count[0]));
        Map<String, Integer> counts = Collections.unmodifiableMap(filtered);
        if (best.size == 0) {
            return new Decision.Unschedulable(unschedulableMessage(total, counts), total, counts);
        }
        List<NodeScore> top = new ArrayList<>(best.size);
        for (int i = 0; i < best.size; i++) top.add(explain(scorers, weights, pod, best.nodes[i]));
        return new Decision.Placed(top.get(0).node(), examined, total, counts, List.copyOf(top));
    }

    private FilterPlugin[] filtersFor(PodRequest pod) {
        List<FilterPlugin> active = new ArrayList<>(profile.filters().size());
        for (FilterPlugin f : profile.filters()) {
            FilterPlugin forPod = f.forPod(pod);
            if (forPod != null) active.add(forPod);
        }
        return active.toArray(new FilterPlugin[0]);
    }

    private static String firstRejection(FilterPlugin[] filters, PodRequest pod, NodeView node, Instant now) {
        for (FilterPlugin f : filters) {
            String reason = f.filter(pod, node, now);
            if (reason != null) return reason;
        }
        return null;
    }

    /**
     * Σ weight × score. Each score is clamped to 0..100 and rounded to hundredths before it counts,
     * and so is the total, so the explanation shows exactly the numbers that decided.
     */
    private static double total(ScorePlugin[] scorers, int[] weights, PodRequest pod, NodeView node) {
        double total = 0;
        for (int i = 0; i < scorers.length; i++) total += weights[i] * score(scorers[i], pod, node);
        return round(total);
    }

    private static NodeScore explain(ScorePlugin[] scorers, int[] weights, PodRequest pod, NodeView node) {
        Map<String, Double> perPlugin = new LinkedHashMap<>();
        for (ScorePlugin s : scorers) perPlugin.put(s.name(), score(s, pod, node));
        return new NodeScore(node.name(), total(scorers, weights, pod, node), perPlugin);
    }

    private static double score(ScorePlugin s, PodRequest pod, NodeView node) {
        return round(Math.max(0, Math.min(100, s.score(pod, node))));
    }

    private static double round(double v) { return Math.round(v * 100) / 100.0; }

    /** The best few nodes so far, best first: higher total, then the name that sorts first. */
    private static final class Best {
        final NodeView[] nodes;
        final double[] totals;
        int size;

        Best(int capacity) {
            nodes = new NodeView[capacity];
            totals = new double[capacity];
        }

        void offer(NodeView node, double total) {
            int at = size;
            while (at > 0 && better(node, total, nodes[at - 1], totals[at - 1])) at--;
            if (at >= nodes.length) return;
            int last = Math.min(size, nodes.length - 1);
            System.arraycopy(nodes, at, nodes, at + 1, last - at);
            System.arraycopy(totals, at, totals, at + 1, last - at);
            nodes[at] = node;
            totals[at] = total;
            if (size < nodes.length) size++;
        }

        private static boolean better(NodeView a, double totalA, NodeView b, double totalB) {
            if (totalA != totalB) return totalA > totalB;
            return a.name().compareTo(b.name()) < 0;
        }
    }

    /**
     * "0/3 nodes available: 2 Insufficient memory, 1 node cordoned." Every node is counted once, under
     * the first filter that rejected it; the most frequent reason comes first, equal counts alphabetically.
     */
    public static String unschedulableMessage(int nodes, Map<String, Integer> filtered) {
        if (nodes == 0) return NO_NODES;
        String reasons = filtered.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return "0/" + nodes + " nodes available: " + reasons + ".";
    }
}
