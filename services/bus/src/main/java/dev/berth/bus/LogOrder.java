package dev.berth.bus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Orders records read from several topics for folding: each partition keeps its log order, and
 * partitions are merged by record time. Reading topics one after another would, for example,
 * apply a pod's Stopped status before the deletion request that preceded it.
 */
public final class LogOrder {
    private LogOrder() {}

    public static List<RawRecord> byTime(List<RawRecord> records) {
        Map<String, Deque<RawRecord>> partitions = new LinkedHashMap<>();
        for (RawRecord r : records) {
            partitions.computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayDeque<>()).add(r);
        }
        partitions.values().forEach(q -> {
            List<RawRecord> sorted = new ArrayList<>(q);
            sorted.sort(Comparator.comparingLong(RawRecord::offset));
            q.clear();
            q.addAll(sorted);
        });
        PriorityQueue<Deque<RawRecord>> heads = new PriorityQueue<>(Comparator
                .comparingLong((Deque<RawRecord> q) -> q.peek().timestamp())
                .thenComparing(q -> q.peek().topic())
                .thenComparingInt(q -> q.peek().partition()));
        heads.addAll(partitions.values());
        List<RawRecord> ordered = new ArrayList<>(records.size());
        while (!heads.isEmpty()) {
            Deque<RawRecord> q = heads.poll();
            ordered.add(q.poll());
            if (!q.isEmpty()) heads.add(q);
        }
        return ordered;
    }
}
