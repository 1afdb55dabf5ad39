package dev.berth.bus.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's resources as Kubernetes' {@code resources}: what the scheduler reserves ({@code requests})
 * and what the node enforces with cgroups ({@code limits}). A request left out defaults to the limit (of that
 * resource); a cpu or memory limit left out means no cap; a resource with neither requests 0.
 *
 * <p>Records written before requests and limits were separate carry one flat {@code {cpuMillis, memoryBytes}}:
 * they read as both the request and the limit, which is what Berth did with them.
 */
public record ResourceRequirements(ResourceList requests, ResourceList limits) {
    public static final ResourceRequirements NONE = new ResourceRequirements(ResourceList.NONE, ResourceList.NONE);

    public ResourceRequirements {
        requests = requests == null ? ResourceList.NONE : requests;
        limits = limits == null ? ResourceList.NONE : limits;
    }

    /** Requests and limits both {@code r}: the meaning of a record from before they were separate. */
    public static ResourceRequirements of(Resources r) {
        if (r == null) return NONE;
        ResourceList both = ResourceList.of(r);
        return new ResourceRequirements(both, both);
    }

    /** Reads the current shape and the old flat one ({@code cpuMillis}/{@code memoryBytes} beside no requests or limits). */
    @JsonCreator
    static ResourceRequirements read(@JsonProperty("requests") ResourceList requests, @JsonProperty("limits") ResourceList limits,
                                     @JsonProperty("cpuMillis") Long cpuMillis, @JsonProperty("memoryBytes") Long memoryBytes) {
        if (requests == null && limits == null && (cpuMillis != null || memoryBytes != null)) {
            ResourceList both = new ResourceList(cpuMillis, memoryBytes, null);
            return new ResourceRequirements(both, both);
        }
        return new ResourceRequirements(requests, limits);
    }

    /**
     * What the scheduler reserves for the container: each resource's request, or its limit when the request
     * is left out, or 0 when both are.
     */
    public Resources requested() {
        long cpu = orElse(requests.cpuMillis(), limits.cpuMillis());
        long memory = orElse(requests.memoryBytes(), limits.memoryBytes());
        Map<String, Long> extended = limits.extended();
        if (!requests.extended().isEmpty()) {
            extended = new TreeMap<>(limits.extended());
            extended.putAll(requests.extended());
        }
        return new Resources(cpu, memory, extended);
    }

    /**
     * The requests after Kubernetes' defaulting: each resource's request, or its limit when the request is left
     * out; a resource with neither stays unset. What {@code kubectl describe} shows as Requests.
     */
    public ResourceList effectiveRequests() {
        Long cpu = requests.cpuMillis() != null ? requests.cpuMillis() : limits.cpuMillis();
        Long memory = requests.memoryBytes() != null ? requests.memoryBytes() : limits.memoryBytes();
        return new ResourceList(cpu, memory, requested().extended());
    }

    private static long orElse(Long first, Long second) {
        return first != null ? first : second != null ? second : 0;
    }
}
