package dev.berth.bus.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * Amounts of resources: CPU in millicores, memory in bytes and extended resources (any other name, e.g.
 * {@code nvidia.com/gpu}) as integer counts. What a node offers, what a pod reserves, what bound pods add up to.
 *
 * @param extended by resource name; absent in older records and left out of JSON when empty
 */
public record Resources(long cpuMillis, long memoryBytes,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> extended) {
    public static final Resources ZERO = new Resources(0, 0);

    public Resources {
        extended = extended == null || extended.isEmpty() ? Map.of() : Map.copyOf(extended);
    }

    /** CPU and memory only. */
    public Resources(long cpuMillis, long memoryBytes) {
        this(cpuMillis, memoryBytes, Map.of());
    }

    /** The count of an extended resource; 0 when absent. */
    public long extended(String name) {
        Long n = extended.get(name);
        return n == null ? 0 : n;
    }

    public Resources plus(Resources o) {
        return new Resources(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes, combine(extended, o.extended, 1));
    }

    public Resources minus(Resources o) {
        return new Resources(cpuMillis - o.cpuMillis, memoryBytes - o.memoryBytes, combine(extended, o.extended, -1));
    }

    /** a + sign × b per name, without the names that come to 0 (so a released reservation leaves no trace). */
    private static Map<String, Long> combine(Map<String, Long> a, Map<String, Long> b, int sign) {
        if (b.isEmpty()) return a;
        Map<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, sign * v, (x, y) -> x + y == 0 ? null : x + y));
        return out;
    }
}
