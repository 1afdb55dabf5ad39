package dev.berth.bus.contract;

/**
 * One container's usage as metrics-server reports it: CPU as a rate over the sample window in millicores,
 * memory as the working set (usage minus inactive file cache) in bytes.
 */
public record ContainerMetrics(String name, long cpuMillicores, long memoryWorkingSetBytes) {
}
