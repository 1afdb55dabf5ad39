package dev.berth.node.metrics;

/**
 * One reading of a cgroup (or of the whole host): cumulative CPU time used, and memory in use with the part
 * of it that is inactive file cache (the kernel reclaims that first, so it does not count as working set).
 *
 * @param cpuUsageNanos     CPU time used since the cgroup was created (v1 cpuacct.usage, v2 cpu.stat usage_usec × 1000)
 * @param memoryUsageBytes  v1 memory.usage_in_bytes, v2 memory.current (page cache included)
 * @param inactiveFileBytes v1 memory.stat total_inactive_file, v2 memory.stat inactive_file
 */
public record UsageSample(long cpuUsageNanos, long memoryUsageBytes, long inactiveFileBytes) {

    /** The working set as cAdvisor and metrics-server compute it: usage minus inactive file, never below 0. */
    public long workingSetBytes() {
        return Math.max(0, memoryUsageBytes - inactiveFileBytes);
    }
}
