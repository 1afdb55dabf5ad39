package dev.berth.bus.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
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

    /**
     * A pod's resources from its containers', as Kubernetes sums them: each request is the app containers' sum of
     * (defaulted) requests, but at least the largest init container's; a cpu or memory limit is set only when every
     * container sets it (one uncapped container leaves the pod uncapped), the same sum-or-max of the limits.
     */
    public static ResourceRequirements ofPod(List<ResourceRequirements> app, List<ResourceRequirements> init) {
        ResourceList requests = ResourceList.NONE;
        ResourceList limits = null;
        for (ResourceRequirements r : app) {
            requests = combine(requests, r.effectiveRequests(), Long::sum, false);
            limits = limits == null ? r.limits : combine(limits, r.limits, Long::sum, true);
        }
        for (ResourceRequirements r : init) {
            requests = combine(requests, r.effectiveRequests(), Math::max, false);
            limits = limits == null ? r.limits : combine(limits, r.limits, Math::max, true);
        }
        return new ResourceRequirements(requests, limits);
    }

    /** Each resource of a and b joined by {@code op}; one side unset: the other's, or unset when {@code unsetWins}. */
    private static ResourceList combine(ResourceList a, ResourceList b, BinaryOperator<Long> op, boolean unsetWins) {
        Map<String, Long> extended = new TreeMap<>(a.extended());
        b.extended().forEach((k, v) -> extended.merge(k, v, op));
        return new ResourceList(join(a.cpuMillis(), b.cpuMillis(), op, unsetWins), join(a.memoryBytes(), b.memoryBytes(), op, unsetWins), extended);
    }

    private static Long join(Long a, Long b, BinaryOperator<Long> op, boolean unsetWins) {
        if (a == null || b == null) return unsetWins ? null : a == null ? b : a;
        return op.apply(a, b);
    }

    private static long orElse(Long first, Long second) {
        return first != null ? first : second != null ? second : 0;
    }
}
