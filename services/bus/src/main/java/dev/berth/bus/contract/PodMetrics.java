package dev.berth.bus.contract;

import java.util.List;

/** One pod's containers' usage, measured from their cgroups by the node running it. */
public record PodMetrics(String namespace, String pod, String deployment, List<ContainerMetrics> containers) {
    public PodMetrics {
        namespace = Namespaces.orDefault(namespace);
        containers = containers == null ? List.of() : List.copyOf(containers);
    }

    public long cpuMillicores() { return containers.stream().mapToLong(ContainerMetrics::cpuMillicores).sum(); }

    public long memoryWorkingSetBytes() { return containers.stream().mapToLong(ContainerMetrics::memoryWorkingSetBytes).sum(); }
}
