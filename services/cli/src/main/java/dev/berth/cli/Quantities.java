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

    private static final java.util.regex.Pattern QUANTITY =
            java.util.regex.Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(?:[eE]([+-]?[0-9]+))?(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");

    /**
     * A Kubernetes quantity in milli-units (resource.Quantity's MilliValue, rounded up as it does): "500m" is 500,
     * "10" is 10000, "1k" is 1000000, "1Mi" is 1048576000, "1.5" is 1500.
     *
     * @throws NumberFormatException when {@code q} is no quantity, or too large for a long in milli-units
     */
    public static long milliValue(String q) {
        java.util.regex.Matcher m = QUANTITY.matcher(q == null ? "" : q.trim());
        if (!m.matches()) throw new NumberFormatException("'" + q + "' is not a quantity (e.g. 500m, 10, 1k, 64Mi)");
        BigDecimal value = new BigDecimal(m.group(1));
        if (m.group(2) != null) value = value.scaleByPowerOfTen(Integer.parseInt(m.group(2)));
        BigDecimal scale = switch (m.group(3) == null ? "" : m.group(3)) {
            case "n" -> new BigDecimal("1e-9");
            case "u" -> new BigDecimal("1e-6");
            case "m" -> new BigDecimal("1e-3");
            case "k" -> new BigDecimal("1e3");
            case "M" -> new BigDecimal("1e6");
            case "G" -> new BigDecimal("1e9");
            case "T" -> new BigDecimal("1e12");
            case "P" -> new BigDecimal("1e15");
            case "E" -> new BigDecimal("1e18");
            case "Ki" -> BigDecimal.valueOf(1L << 10);
            case "Mi" -> BigDecimal.valueOf(1L << 20);
            case "Gi" -> BigDecimal.valueOf(1L << 30);
            case "Ti" -> BigDecimal.valueOf(1L << 40);
            case "Pi" -> BigDecimal.valueOf(1L << 50);
            case "Ei" -> BigDecimal.valueOf(1L << 60);
            default -> BigDecimal.ONE;
        };
        BigDecimal milli = value.multiply(scale).multiply(BigDecimal.valueOf(1000)).setScale(0, java.math.RoundingMode.CEILING);
        try {
            return milli.longValueExact();
        } catch (ArithmeticException e) {
            throw new NumberFormatException("'" + q + "' is too large");
        }
    }

    /**
     * A milli-unit value as Kubernetes prints a quantity: whole numbers plain or with k/M/G ("10", "1k"), the rest
     * in milli-units ("4500m"); {@code memory} values in bytes with binary suffixes where exact ("100Mi").
     */
    public static String formatMilli(long milli, boolean memory) {
        if (milli % 1000 != 0) return milli + "m";
        long whole = milli / 1000;
        if (memory) return formatMemory(whole);
        for (String[] s : new String[][] {{"G", "1000000000"}, {"M", "1000000"}, {"k", "1000"}}) {
            long unit = Long.parseLong(s[1]);
            if (whole != 0 && whole % unit == 0) return (whole / unit) + s[0];
        }
        return Long.toString(whole);
    }
}
