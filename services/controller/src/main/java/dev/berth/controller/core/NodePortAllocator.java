package dev.berth.controller.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * NodePorts of Services from a port range (default {@value #DEFAULT_MIN}-{@value #DEFAULT_MAX}), like
 * Kubernetes': a given port is honoured if in range and not another Service's, else rejected with
 * Kubernetes' message; a chosen one is the Service's previous port when it had one, else the lowest free
 * port of the upper band, then of the lower band (KEP-3668 keeps the lower band for given ports). All the
 * ports of one Service are assigned together, or none. Pure, immutable.
 */
public record NodePortAllocator(int min, int max, AllocationSlots<NodePortAllocator.Owner> ports) {
    public static final int DEFAULT_MIN = 30000;
    public static final int DEFAULT_MAX = 32767;

    /** Port {@code index} of {@code service}'s spec.ports. */
    public record Owner(String service, int index) {}

    public NodePortAllocator {
        if (min < 1 || max > 65535 || min > max) throw new IllegalArgumentException("invalid NodePort range " + min + "-" + max);
    }

    public static NodePortAllocator defaults() { return new NodePortAllocator(DEFAULT_MIN, DEFAULT_MAX, AllocationSlots.empty()); }

    public static NodePortAllocator of(int min, int max) { return new NodePortAllocator(min, max, AllocationSlots.empty()); }

    public record Outcome(NodePortAllocator allocator, List<Integer> nodePorts, List<String> reasons) {
        public boolean ok() { return reasons.isEmpty(); }
    }

    public int size() { return max - min + 1; }

    public int allocated() { return ports.size(); }

    /** Lower band size (KEP-3668): min(max(16, size/32), 128). */
    int staticBand() { return Math.min(Math.max(16, size() / 32), 128); }

    /** The Service's ports in spec order. */
    public List<Integer> portsOf(String service) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            Optional<Long> p = ports.slotOf(new Owner(service, i));
            if (p.isEmpty()) return out;
            out.add(p.get().intValue());
        }
    }

    /**
     * Assigns the Service's NodePorts: {@code requested.get(i)} is spec.ports[i].nodePort, null or 0 to have
     * one chosen. Ports the Service held and no longer asks for are released.
     */
    public Outcome assign(String service, List<Integer> requested) {
        List<Integer> previous = portsOf(service);
        List<String> reasons = new ArrayList<>();
        Set<Integer> given = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            Integer p = requested.get(i);
            if (p == null || p == 0) continue;
            String field = "spec.ports[" + i + "].nodePort";
            if (p < min || p > max) {
                reasons.add(field + ": Invalid value: " + p + ": provided port is not in the valid range. The range of valid ports is " + min + "-" + max);
            } else if (!given.add(p)) {
                reasons.add(field + ": Duplicate value: " + p);
            } else {
                Optional<Owner> holder = ports.ownerOf(p);
                if (holder.isPresent() && !holder.get().service().equals(service)) {
                    reasons.add(field + ": Invalid value: " + p + ": provided port is already allocated");
                }
            }
        }
        if (!reasons.isEmpty()) return new Outcome(this, List.of(), reasons);

        AllocationSlots<Owner> s = ports;
        for (int i = 0; i < previous.size(); i++) s = s.release(new Owner(service, i));
        List<Integer> reusable = new ArrayList<>(previous);
        reusable.removeAll(given);
        Integer[] result = new Integer[requested.size()];
        for (int i = 0; i < requested.size(); i++) { // given ports first, so none of them is chosen for another
            Integer p = requested.get(i);
            if (p != null && p != 0) {
                s = s.take(p, new Owner(service, i));
                result[i] = p;
            }
        }
        for (int i = 0; i < requested.size(); i++) {
            if (result[i] != null) continue;
            long port;
            if (!reusable.isEmpty()) {
                port = reusable.remove(0);
            } else {
                AllocationSlots<Owner> now = s;
                Optional<Long> free = now.lowestFree(min + staticBand(), max + 1L).or(() -> now.lowestFree(min, Math.min(min + staticBand(), max + 1L)));
                if (free.isEmpty()) {
                    return new Outcome(this, List.of(), List.of("spec.ports[" + i + "].nodePort: Internal error: failed to allocate a nodePort: range is full ("
                            + size() + " ports, " + min + "-" + max + ")"));
                }
                port = free.get();
            }
            s = s.take(port, new Owner(service, i));
            result[i] = (int) port;
        }
        return new Outcome(new NodePortAllocator(min, max, s), List.of(result), List.of());
    }

    /** Frees every port of the Service (deleted, or no longer of type NodePort). */
    public NodePortAllocator release(String service) {
        AllocationSlots<Owner> s = ports;
        for (int i = 0; i < portsOf(service).size(); i++) s = s.release(new Owner(service, i));
        return new NodePortAllocator(min, max, s);
    }
}
