package dev.berth.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pure part of {@code berth-bench metrics}: what two samples taken at a window's ends say as rates, the
 * autoscaler's Prometheus text read as numbers, and the table of OFF, ON and their ratio.
 */
final class MetricsCost {
    private MetricsCost() {}

    /**
     * What is read at one instant.
     *
     * @param nanos       {@link System#nanoTime()}
     * @param endOffsets  per topic, the sum of its partitions' end offsets (records ever written)
     * @param cpuNanos    per part (control plane JVM, hollow nodes, benchmark JVM), CPU time used so far
     * @param autoscaler  the autoscaler's counters and gauges, by series name (see {@link #autoscalerSeries})
     * @param cluster     what the observer counted so far ({@link #NOT_READY}, {@link #LOST}): a window with either is not steady
     */
    record Sample(long nanos, Map<String, Long> endOffsets, Map<String, Long> cpuNanos, Map<String, Double> autoscaler,
                  Map<String, Long> cluster) {}

    static final String NOT_READY = "NotReady decisions", LOST = "pods lost";

    /** One measured window: its two ends, the bytes its resource-metrics records took and the largest lag seen in it. */
    record Window(Sample start, Sample end, long metricsBytes, double maxLag) {
        double seconds() { return (end.nanos() - start.nanos()) / 1e9; }

        /** Records per second written to {@code topic}. */
        double recordsPerSecond(String topic) {
            return perSecond(end.endOffsets().getOrDefault(topic, 0L) - start.endOffsets().getOrDefault(topic, 0L), seconds());
        }

        /** CPU of {@code part} as cores busy on average (1.0 = one core all the time). */
        double cores(String part) {
            return perSecond((end.cpuNanos().getOrDefault(part, 0L) - start.cpuNanos().getOrDefault(part, 0L)) / 1e9, seconds());
        }

        /** A counter of the autoscaler per second. */
        double autoscalerPerSecond(String series) {
            return perSecond(end.autoscaler().getOrDefault(series, 0.0) - start.autoscaler().getOrDefault(series, 0.0), seconds());
        }

        double metricsBytesPerSecond() { return perSecond(metricsBytes, seconds()); }

        /** How many more the observer counted by the window's end. */
        long counted(String what) { return end.cluster().getOrDefault(what, 0L) - start.cluster().getOrDefault(what, 0L); }
    }

    /** The autoscaler's series the table reads: name → [metric, label filter]. */
    static final Map<String, String[]> AUTOSCALER_SERIES = Map.of(
            "metricsRecords", new String[] {"berth_records_processed_total", "source=\"metrics\""},
            "metricsUnits", new String[] {"berth_unit_decide_seconds_count", "source=\"metrics\""},
            "inputUnits", new String[] {"berth_unit_decide_seconds_count", "source=\"input\""},
            "statuses", new String[] {"berth_autoscaler_statuses_total", ""},
            "scales", new String[] {"berth_autoscaler_scales_total", ""},
            "lag", new String[] {"berth_consumer_lag_records", "source=\"metrics\""},
            "autoscalers", new String[] {"berth_autoscalers", ""});

    /** Every series of {@link #AUTOSCALER_SERIES} read from one scrape (absent: 0). */
    static Map<String, Double> autoscalerSeries(String prometheusText) {
        java.util.HashMap<String, Double> out = new java.util.HashMap<>();
        AUTOSCALER_SERIES.forEach((key, s) -> out.put(key, sum(prometheusText, s[0], s[1])));
        return out;
    }

    /**
     * The sum of every sample of {@code metric} whose labels contain {@code labelFilter} (a {@code name="value"}
     * pair; empty: all), in Prometheus' text format; 0 when there is none.
     */
    static double sum(String prometheusText, String metric, String labelFilter) {
        double total = 0;
        for (String line : prometheusText.split("\n")) {
            if (line.isEmpty() || line.startsWith("#") || !line.startsWith(metric)) continue;
            String rest = line.substring(metric.length());
            String labels = "";
            if (rest.startsWith("{")) {
                int close = rest.indexOf('}');
                if (close < 0) continue;
                labels = rest.substring(1, close);
                rest = rest.substring(close + 1);
            } else if (!rest.startsWith(" ")) {
                continue; // another metric whose name starts with this one
            }
            if (!labelFilter.isEmpty() && !(',' + labels + ',').contains(',' + labelFilter + ',')) continue;
            String[] value = rest.trim().split(" ");
            try {
                double v = Double.parseDouble(value[0]);
                if (!Double.isNaN(v)) total += v;
            } catch (NumberFormatException ignored) {
                // not a sample line
            }
        }
        return total;
    }

    static double perSecond(double amount, double seconds) { return seconds <= 0 ? Double.NaN : amount / seconds; }

    /** ON / OFF as "×1.23"; "—" when OFF is zero (nothing to compare with) or either is unknown. */
    static String ratio(double on, double off) {
        if (Double.isNaN(on) || Double.isNaN(off)) return "—";
        if (off == 0) return on == 0 ? "×1.00" : "— (OFF 0)";
        return String.format(Locale.ROOT, "×%.2f", on / off);
    }

    /** One row: what it is, its OFF and ON values and how to print them. */
    record Row(String what, double off, double on, String unit, int decimals) {
        String format(double v) {
            if (Double.isNaN(v)) return "—";
            return String.format(Locale.ROOT, "%,." + decimals + "f", v) + (unit.isEmpty() ? "" : " " + unit);
        }
    }

    /** The rows of the table from the OFF and ON windows. */
    static List<Row> rows(Window off, Window on) {
        List<Row> rows = new ArrayList<>();
        String metrics = "berth.resource-metrics";
        rows.add(new Row(metrics + " records/s", off.recordsPerSecond(metrics), on.recordsPerSecond(metrics), "", 1));
        rows.add(new Row(metrics + " bytes/s (key + value)", off.metricsBytesPerSecond() / 1024, on.metricsBytesPerSecond() / 1024, "KiB/s", 1));
        for (String topic : List.of("berth.node-heartbeats", "berth.pod-status", "berth.autoscaler-status", "berth.commands")) {
            rows.add(new Row(topic + " records/s", off.recordsPerSecond(topic), on.recordsPerSecond(topic), "", 1));
        }
        for (String part : List.of(CONTROL_PLANE, HOLLOW, BENCH)) {
            rows.add(new Row(part + " CPU", off.cores(part) * 100, on.cores(part) * 100, "% of a core", 1));
        }
        rows.add(new Row("autoscaler: metrics records processed/s", off.autoscalerPerSecond("metricsRecords"),
                on.autoscalerPerSecond("metricsRecords"), "", 1));
        rows.add(new Row("autoscaler: metrics batches decided/s", off.autoscalerPerSecond("metricsUnits"),
                on.autoscalerPerSecond("metricsUnits"), "", 2));
        rows.add(new Row("autoscaler: ticks and other inputs decided/s", off.autoscalerPerSecond("inputUnits"),
                on.autoscalerPerSecond("inputUnits"), "", 2));
        rows.add(new Row("autoscaler: statuses published/s", off.autoscalerPerSecond("statuses"), on.autoscalerPerSecond("statuses"), "", 2));
        rows.add(new Row("autoscaler: scale commands in the window", delta(off, "scales"), delta(on, "scales"), "", 0));
        rows.add(new Row("autoscaler: metrics consumer lag, max", off.maxLag(), on.maxLag(), "records", 0));
        rows.add(new Row("autoscaler: metrics consumer lag, at the end", off.end().autoscaler().getOrDefault("lag", 0.0),
                on.end().autoscaler().getOrDefault("lag", 0.0), "records", 0));
        for (String what : List.of(NOT_READY, LOST)) rows.add(new Row(what + " in the window", off.counted(what), on.counted(what), "", 0));
        return rows;
    }

    private static double delta(Window w, String series) {
        return w.end().autoscaler().getOrDefault(series, 0.0) - w.start().autoscaler().getOrDefault(series, 0.0);
    }

    static final String CONTROL_PLANE = "control-plane JVM (controller, scheduler, autoscaler)";
    static final String HOLLOW = "hollow nodes (their threads in the benchmark JVM)";
    static final String BENCH = "benchmark JVM (broker, hollow nodes, observer)";

    /** The table: a header, then per row its OFF, ON and ON/OFF. */
    static String table(String title, List<Row> rows, List<String> notes) {
        int w = 8 + rows.stream().mapToInt(r -> r.what().length()).max().orElse(10);
        int v = 20;
        StringBuilder b = new StringBuilder(title).append("\n\n");
        b.append(pad("measurement", w)).append(pad("metrics OFF", v)).append(pad("metrics ON", v)).append("ON/OFF\n");
        for (Row r : rows) {
            b.append(pad(r.what(), w)).append(pad(r.format(r.off()), v)).append(pad(r.format(r.on()), v))
                    .append(ratio(r.on(), r.off())).append('\n');
        }
        if (!notes.isEmpty()) b.append('\n');
        for (String n : notes) b.append("  ").append(n).append('\n');
        return b.toString();
    }

    private static String pad(String s, int width) { return s.length() >= width ? s + "  " : s + " ".repeat(width - s.length()); }
}
