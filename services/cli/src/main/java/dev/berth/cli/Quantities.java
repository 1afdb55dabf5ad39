package dev.berth.cli;

import java.math.BigDecimal;

/** Kubernetes resource quantities: cpu ("250m", "0.5", "2") and memory ("64Mi", "1G", "128974848"). */
public final class Quantities {
    private Quantities() {}

    public static long cpuMillis(String q) {
        String s = q.trim();
        if (s.endsWith("m")) return Long.parseLong(s.substring(0, s.length() - 1));
        return new BigDecimal(s).multiply(BigDecimal.valueOf(1000)).longValueExact();
    }

    public static long memoryBytes(String q) {
        String s = q.trim();
        String[][] suffixes = {
            {"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
            {"k", "1000"}, {"K", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"},
        };
        for (String[] suffix : suffixes) {
            if (s.endsWith(suffix[0])) {
                return new BigDecimal(s.substring(0, s.length() - suffix[0].length()))
                        .multiply(new BigDecimal(suffix[1])).longValueExact();
            }
        }
        return new BigDecimal(s).longValueExact();
    }

    public static String formatMemory(long bytes) {
        if (bytes % (1L << 30) == 0 && bytes > 0) return (bytes >> 30) + "Gi";
        if (bytes % (1L << 20) == 0 && bytes > 0) return (bytes >> 20) + "Mi";
        if (bytes >= (1L << 30)) return String.format(java.util.Locale.ROOT, "%.1fGi", bytes / (double) (1L << 30));
        if (bytes >= (1L << 20)) return String.format(java.util.Locale.ROOT, "%.1fMi", bytes / (double) (1L << 20));
        if (bytes % (1L << 10) == 0 && bytes > 0) return (bytes >> 10) + "Ki";
        return Long.toString(bytes);
    }

    public static String formatCpu(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }
}
