package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

/** A container's requests and limits as kubectl shows them: Kubernetes quantities by resource name. */
final class ResourceText {
    private ResourceText() {}

    /** "cpu: 250m, memory: 64Mi, nvidia.com/gpu: 1"; "" when nothing is set. */
    static String list(ResourceList l) {
        List<String> parts = new ArrayList<>();
        if (l.cpuMillis() != null) parts.add("cpu: " + Quantities.formatCpu(l.cpuMillis()));
        if (l.memoryBytes() != null) parts.add("memory: " + Quantities.formatMemory(l.memoryBytes()));
        new java.util.TreeMap<>(l.extended()).forEach((k, v) -> parts.add(k + ": " + v));
        return String.join(", ", parts);
    }

    /** {@code resources: {requests: {...}, limits: {...}}} of a pod's container, each side only when set (requests defaulted). */
    static void put(ObjectNode container, ResourceRequirements r) {
        ObjectNode resources = container.putObject("resources");
        ResourceList requests = r.effectiveRequests();
        if (!r.limits().empty()) put(resources.putObject("limits"), r.limits());
        if (!requests.empty()) put(resources.putObject("requests"), requests);
    }

    private static void put(ObjectNode side, ResourceList l) {
        if (l.cpuMillis() != null) side.put("cpu", Quantities.formatCpu(l.cpuMillis()));
        if (l.memoryBytes() != null) side.put("memory", Quantities.formatMemory(l.memoryBytes()));
        new java.util.TreeMap<>(l.extended()).forEach((k, v) -> side.put(k, Long.toString(v)));
    }

    /** A table cell: the cpu request (defaulted to the limit), or "<none>". */
    static String cpuRequest(ResourceRequirements r) {
        Long cpu = r.effectiveRequests().cpuMillis();
        return cpu == null ? "<none>" : Quantities.formatCpu(cpu);
    }

    static String memoryRequest(ResourceRequirements r) {
        Long memory = r.effectiveRequests().memoryBytes();
        return memory == null ? "<none>" : Quantities.formatMemory(memory);
    }

    /** "requests cpu: 250m, memory: 64Mi; limits cpu: 500m, memory: 128Mi", or "no resources" for one line of text. */
    static String brief(ResourceRequirements r) {
        String requests = list(r.effectiveRequests()), limits = list(r.limits());
        if (requests.isEmpty() && limits.isEmpty()) return "no resources";
        List<String> parts = new ArrayList<>();
        if (!requests.isEmpty()) parts.add("requests " + requests);
        if (!limits.isEmpty()) parts.add("limits " + limits);
        return String.join("; ", parts);
    }
}
