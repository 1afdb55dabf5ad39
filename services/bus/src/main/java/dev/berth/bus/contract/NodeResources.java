package dev.berth.bus.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a node offers: cpu, memory, a number of pod slots and extended resources.
 *
 * @param extended extended resources the node advertises (e.g. {@code nvidia.com/gpu: 2}), integer counts; absent
 *                 in older records and left out of JSON when empty
 */
public record NodeResources(long cpuMillis, long memoryBytes, int pods,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> extended) {
    public NodeResources {
        extended = extended == null || extended.isEmpty() ? Map.of() : Map.copyOf(extended);
    }

    /** A node without extended resources. */
    public NodeResources(long cpuMillis, long memoryBytes, int pods) {
        this(cpuMillis, memoryBytes, pods, Map.of());
    }

    public Resources resources() { return new Resources(cpuMillis, memoryBytes, extended); }

    /** This node offering these extended resources instead. */
    public NodeResources withExtended(Map<String, Long> resources) {
        return new NodeResources(cpuMillis, memoryBytes, pods, resources);
    }
}
