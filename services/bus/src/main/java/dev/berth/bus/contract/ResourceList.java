package dev.berth.bus.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One side of a container's resources, requests or limits (Kubernetes' ResourceList): each resource
 * is either set or absent, and absent means something different from 0 (no limit; the request defaults to the limit).
 *
 * @param cpuMillis   CPU in millicores (1000 = one core); null: not set
 * @param memoryBytes memory in bytes; null: not set
 * @param extended    extended resources by name (e.g. {@code nvidia.com/gpu}), integer counts; left out of JSON when empty
 */
public record ResourceList(Long cpuMillis, Long memoryBytes,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> extended) {
    public static final ResourceList NONE = new ResourceList(null, null, null);

    public ResourceList {
        extended = extended == null || extended.isEmpty() ? Map.of() : Map.copyOf(extended);
    }

    /** CPU and memory, both set. */
    public static ResourceList of(long cpuMillis, long memoryBytes) {
        return new ResourceList(cpuMillis, memoryBytes, null);
    }

    /** Every resource of {@code r}, set. */
    public static ResourceList of(Resources r) {
        return new ResourceList(r.cpuMillis(), r.memoryBytes(), r.extended());
    }

    /** Whether no resource is set. */
    public boolean empty() { return cpuMillis == null && memoryBytes == null && extended.isEmpty(); }

    /** This list with the extended resource set to {@code count}. */
    public ResourceList withExtended(String name, long count) {
        java.util.Map<String, Long> more = new java.util.TreeMap<>(extended);
        more.put(name, count);
        return new ResourceList(cpuMillis, memoryBytes, more);
    }
}
