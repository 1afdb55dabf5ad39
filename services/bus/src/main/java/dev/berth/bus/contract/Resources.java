package dev.berth.bus.contract;

/** CPU in millicores and memory in bytes; a pod's limits are also what the scheduler reserves. */
public record Resources(long cpuMillis, long memoryBytes) {
    public static final Resources ZERO = new Resources(0, 0);

    public Resources plus(Resources o) { return new Resources(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes); }

    public Resources minus(Resources o) { return new Resources(cpuMillis - o.cpuMillis, memoryBytes - o.memoryBytes); }
}
