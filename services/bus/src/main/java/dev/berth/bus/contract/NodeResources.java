package dev.berth.bus.contract;

/** What a node offers: cpu, memory and a number of pod slots. */
public record NodeResources(long cpuMillis, long memoryBytes, int pods) {
    public Resources resources() { return new Resources(cpuMillis, memoryBytes); }
}
