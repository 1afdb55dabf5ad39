package dev.berth.controller.core;

import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/** At most {@code capacity} names, the oldest dropped first; persistent, so a changed copy shares the rest. */
record RecentNames(int capacity, PMap<String, Long> names, PSortedMap<Long, String> order, long next) {

    static RecentNames of(int capacity) { return new RecentNames(capacity, HashTreePMap.empty(), TreePMap.empty(), 0); }

    boolean contains(String name) { return names.containsKey(name); }

    int size() { return names.size(); }

    RecentNames plus(String name) {
        if (names.containsKey(name)) return this;
        PMap<String, Long> n = names.plus(name, next);
        PSortedMap<Long, String> o = order.plus(next, name);
        if (o.size() > capacity) {
            Long oldest = o.firstKey();
            n = n.minus(o.get(oldest));
            o = o.minus(oldest);
        }
        return new RecentNames(capacity, n, o, next + 1);
    }

    RecentNames minus(String name) {
        Long at = names.get(name);
        return at == null ? this : new RecentNames(capacity, names.minus(name), order.minus(at), next);
    }
}
