package dev.berth.node.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole node's usage from /proc, as the kubelet's node summary roughly has it: CPU busy time from the
 * first line of /proc/stat (every state but idle and iowait), memory in use as MemTotal − MemAvailable
 * (page cache the kernel can drop does not count, like a working set).
 */
public final class HostUsage {
    private HostUsage() {}

    /** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture Berth runs on. */
    static final long NANOS_PER_TICK = 10_000_000L;

    public static UsageSample read(Path proc) throws IOException {
        return new UsageSample(cpuNanos(Files.readAllLines(proc.resolve("stat"))),
                memoryUsedBytes(Files.readAllLines(proc.resolve("meminfo"))), 0);
    }

    /** "cpu  user nice system idle iowait irq softirq steal guest guest_nice": busy ticks in ns (guest is inside user). */
    static long cpuNanos(List<String> stat) {
        for (String line : stat) {
            String[] f = line.trim().split("\\s+");
            if (!f[0].equals("cpu")) continue;
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i == 4 || i == 5) continue; // idle, iowait
                busy += Long.parseLong(f[i]);
            }
            return busy * NANOS_PER_TICK;
        }
        throw new IllegalArgumentException("no cpu line in /proc/stat");
    }

    /** MemTotal − MemAvailable in bytes (meminfo counts kB). */
    static long memoryUsedBytes(List<String> meminfo) {
        long total = -1, available = -1;
        for (String line : meminfo) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) continue;
            if (f[0].equals("MemTotal:")) total = Long.parseLong(f[1]);
            else if (f[0].equals("MemAvailable:")) available = Long.parseLong(f[1]);
        }
        if (total < 0 || available < 0) throw new IllegalArgumentException("no MemTotal/MemAvailable in /proc/meminfo");
        return Math.max(0, total - available) * 1024;
    }
}
