package dev.berth.scheduler.core;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each deployment's pods are: per node and per zone, how many of its bound pods hold capacity
 * there, with the largest of each count. Kept incrementally by {@link SchedulerState} as bindings
 * change, so spreading replicas reads a few map entries per pod instead of scanning every binding.
 */
public final class ReplicaCounts {

    /** One deployment's pods by node and by zone. */
    public static final class Spread {
        public static final Spread NONE = new Spread();

        private final Tally byNode = new Tally();
        private final Tally byZone = new Tally();

        public int onNode(String node) { return byNode.count(node); }

        public int inZone(String zone) { return byZone.count(zone); }

        /** The most pods of the deployment on one node (any node, schedulable or not). */
        public int maxOnNode() { return byNode.max(); }

        /** The most pods of the deployment in one zone. */
        public int maxInZone() { return byZone.max(); }

        public int total() { return byNode.total; }
    }

    /** Counts per key, and how many keys have each count, so the largest count is known after a decrement too. */
    private static final class Tally {
        private final Map<String, Integer> counts = new HashMap<>();
        private final TreeMap<Integer, Integer> keysWithCount = new TreeMap<>();
        private int total;

        int count(String key) {
            Integer c = counts.get(key);
            return c == null ? 0 : c;
        }

        int max() { return keysWithCount.isEmpty() ? 0 : keysWithCount.lastKey(); }

        void add(String key, int delta) {
            int before = count(key), after = before + delta;
            if (before > 0) keysWithCount.compute(before, (c, n) -> n == 1 ? null : n - 1);
            if (after > 0) {
                keysWithCount.merge(after, 1, Integer::sum);
                counts.put(key, after);
            } else {
                counts.remove(key);
            }
            total += delta;
        }
    }

    private final Map<String, Spread> byDeployment = new HashMap<>();

    /** The deployment's spread; {@link Spread#NONE} when none of its pods holds capacity. */
    public Spread of(String deployment) {
        Spread s = deployment == null ? null : byDeployment.get(deployment);
        return s == null ? Spread.NONE : s;
    }

    /** A pod of {@code deployment} starts (+1) or stops (-1) holding capacity on {@code node}, in {@code zone} (null: none). */
    void add(String deployment, String node, String zone, int delta) {
        if (deployment == null) return;
        Spread s = byDeployment.computeIfAbsent(deployment, d -> new Spread());
        s.byNode.add(node, delta);
        if (zone != null) s.byZone.add(zone, delta);
        if (s.byNode.total <= 0) byDeployment.remove(deployment);
    }

    /** The node's zone label changed: its pods move with it. */
    void rezone(String node, String from, String to) {
        for (Spread s : byDeployment.values()) {
            int here = s.byNode.count(node);
            if (here == 0) continue;
            if (from != null) s.byZone.add(from, -here);
            if (to != null) s.byZone.add(to, here);
        }
    }
}
