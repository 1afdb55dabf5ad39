package dev.berth.controller.core;

import java.util.Map;
import java.util.Optional;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * Numbered slots (address offsets, CIDR blocks, ports) and who holds each: immutable, persistent, so an
 * allocator's state is a value the controller can keep, fold and compare. Lowest-free search walks only
 * the taken slots above its start, so it costs O(taken in that band), never O(range).
 */
record AllocationSlots<K>(PSortedMap<Long, K> owners, PMap<K, Long> slots) {
    static <K> AllocationSlots<K> empty() { return new AllocationSlots<>(TreePMap.empty(), HashTreePMap.empty()); }

    Optional<Long> slotOf(K owner) { return Optional.ofNullable(slots.get(owner)); }

    Optional<K> ownerOf(long slot) { return Optional.ofNullable(owners.get(slot)); }

    int size() { return owners.size(); }

    AllocationSlots<K> take(long slot, K owner) {
        AllocationSlots<K> s = release(owner);
        return new AllocationSlots<>(s.owners.plus(slot, owner), s.slots.plus(owner, slot));
    }

    AllocationSlots<K> release(K owner) {
        Long slot = slots.get(owner);
        if (slot == null) return this;
        return new AllocationSlots<>(owners.minus(slot), slots.minus(owner));
    }

    /** The lowest slot in [from, to) nobody holds. */
    Optional<Long> lowestFree(long from, long to) {
        long candidate = from;
        for (Map.Entry<Long, K> e : owners.tailMap(from, true).entrySet()) {
            if (candidate >= to) break;
            if (e.getKey() > candidate) break;
            candidate = e.getKey() + 1;
        }
        return candidate < to ? Optional.of(candidate) : Optional.empty();
    }
}
