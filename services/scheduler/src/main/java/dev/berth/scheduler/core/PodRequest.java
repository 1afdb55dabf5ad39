package dev.berth.scheduler.core;

import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ResourceRequirements;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.Toleration;
import java.util.List;
import java.util.Map;

/**
 * What a pod asks of a node, as the plugins see it.
 *
 * @param deployment its deployment's key ({@link dev.berth.bus.contract.Namespaces#key}: namespace/name, the bare
 *                   name in default): replicas are spread per deployment, and two namespaces may hold the same name
 * @param resources what the scheduler reserves and filters by: the pod's requests (a missing request is the
 *                  limit, a resource with neither 0), extended resources included
 * @param scored    what the scoring plugins count instead: cpu and memory with Kubernetes' non-zero defaults
 *                  ({@link #DEFAULT_CPU_MILLIS}, {@link #DEFAULT_MEMORY_BYTES}) for a resource the pod sets neither
 *                  request nor limit of, so such pods still spread instead of piling onto one node
 */
public record PodRequest(String pod, String deployment, PodTemplate template, Resources resources, Resources scored) {
    /** Kubernetes' scheduler counts a pod without a cpu request as 100m when scoring (DefaultMilliCPURequest). */
    public static final long DEFAULT_CPU_MILLIS = 100;
    /** ... and one without a memory request as 200 MiB (DefaultMemoryRequest). */
    public static final long DEFAULT_MEMORY_BYTES = 200L * 1024 * 1024;

    public PodRequest {
        if (resources == null) resources = requested(template);
        if (scored == null) scored = scored(template);
    }

    public PodRequest(String pod, String deployment, PodTemplate template) {
        this(pod, deployment, template, null, null);
    }

    public static PodRequest of(PodCreated created) {
        return new PodRequest(created.pod(), created.deploymentKey(), created.template());
    }

    /** What a pod of {@code template} reserves: its requests, each defaulting to its limit. */
    public static Resources requested(PodTemplate template) {
        return template == null ? Resources.ZERO : template.resources().requested();
    }

    /** What a pod of {@code template} counts as when scoring: cpu and memory, unset ones at the non-zero defaults. */
    public static Resources scored(PodTemplate template) {
        ResourceRequirements r = template == null ? ResourceRequirements.NONE : template.resources();
        Resources requested = r.requested();
        boolean cpuSet = r.requests().cpuMillis() != null || r.limits().cpuMillis() != null;
        boolean memorySet = r.requests().memoryBytes() != null || r.limits().memoryBytes() != null;
        return new Resources(cpuSet ? requested.cpuMillis() : DEFAULT_CPU_MILLIS,
                memorySet ? requested.memoryBytes() : DEFAULT_MEMORY_BYTES);
    }

    /** Labels a node must carry, all of them; empty: any node. */
    public Map<String, String> nodeSelector() { return template == null ? Map.of() : template.nodeSelector(); }

    /** The taints the pod tolerates. */
    public List<Toleration> tolerations() { return template == null ? List.of() : template.tolerations(); }
}
