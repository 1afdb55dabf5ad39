package dev.berth.bench;

import org.HdrHistogram.Histogram;

/** A latency distribution in microseconds (HdrHistogram, 3 significant digits, up to one hour). */
final class Latencies {
    private final Histogram histogram = new Histogram(3_600_000_000L, 3);

    void record(long micros) { histogram.recordValue(Math.max(0, Math.min(micros, histogram.getHighestTrackableValue()))); }

    Summary summary() {
        if (histogram.getTotalCount() == 0) return Summary.NONE;
        return new Summary(histogram.getTotalCount(), ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(90)),
                ms(histogram.getValueAtPercentile(99)), ms(histogram.getMaxValue()));
    }

    private static double ms(long micros) { return micros / 1000.0; }

    /** Percentiles in milliseconds. */
    record Summary(long count, double p50, double p90, double p99, double max) {
        static final Summary NONE = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        String text() {
            if (count == 0) return "no samples";
            return String.format("p50 %s  p90 %s  p99 %s  max %s", Report.ms(p50), Report.ms(p90), Report.ms(p99), Report.ms(max));
        }
    }
}
