package dev.berth.scheduler.core;

import dev.berth.bus.contract.PodPlaced.NodeScore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One scheduling pass, like kube-scheduler's framework: every node runs the filters (the first
 * failing filter's reason is counted), the nodes left are scored by every score plugin, and the
 * best total wins. Deterministic: nodes are visited by name and ties go to the smaller name.
 */
public final class Scheduler {
    public static final int TOP_CANDIDATES = 3;
    public static final String NO_NODES = "0/0 nodes available: no nodes registered.";

    private static final Comparator<NodeScore> BEST_FIRST =
            Comparator.comparingDouble(NodeScore::total).reversed().thenComparing(NodeScore::node);

    private final Profile profile;

    public Scheduler(Profile profile) { this.profile = profile; }

    public Profile profile() { return profile; }

    public Decision schedule(SchedulerState state, PodRequest pod, Instant now) {
        List<NodeView> nodes = state.nodeViews();
        if (nodes.isEmpty()) return new Decision.Unschedulable(NO_NODES, 0, Map.of());

        Map<String, Integer> filtered = new TreeMap<>();
        List<NodeScore> scored = new ArrayList<>();
        for (NodeView node : nodes) {
            String reason = firstRejection(pod, node, now);
            if (reason != null) filtered.merge(reason, 1, Integer::sum);
            else scored.add(score(pod, node));
        }
        filtered = Collections.unmodifiableMap(filtered);
        if (scored.isEmpty()) {
            return new Decision.Unschedulable(unschedulableMessage(nodes.size(), filtered), nodes.size(), filtered);
        }
        scored.sort(BEST_FIRST);
        List<NodeScore> top = scored.subList(0, Math.min(TOP_CANDIDATES, scored.size()));
        return new Decision.Placed(top.get(0).node(), nodes.size(), filtered, List.copyOf(top));
    }

    private String firstRejection(PodRequest pod, NodeView node, Instant now) {
        for (FilterPlugin f : profile.filters()) {
            String reason = f.filter(pod, node, now);
            if (reason != null) return reason;
        }
        return null;
    }

    /** Scores are rounded to hundredths before they are compared, so the explanation shows exactly what decided. */
    private NodeScore score(PodRequest pod, NodeView node) {
        Map<String, Double> scores = new LinkedHashMap<>();
        double total = 0;
        for (ScorePlugin s : profile.scorers()) {
            double value = round(Math.max(0, Math.min(100, s.score(pod, node))));
            scores.put(s.name(), value);
            total += value;
        }
        return new NodeScore(node.name(), round(total), scores);
    }

    private static double round(double v) { return Math.round(v * 100) / 100.0; }

    /** "0/3 nodes available: 2 insufficient memory, 1 too many pods." (most frequent reason first). */
    public static String unschedulableMessage(int nodes, Map<String, Integer> filtered) {
        if (nodes == 0) return NO_NODES;
        String reasons = filtered.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return "0/" + nodes + " nodes available: " + reasons + ".";
    }
}
