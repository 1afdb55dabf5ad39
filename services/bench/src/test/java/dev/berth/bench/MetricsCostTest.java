package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics-cost table's arithmetic: Prometheus text read as numbers, rates over a window, ON/OFF. */
class MetricsCostTest {
    static final String SCRAPE = """
            # HELP berth_consumer_lag_records Records the source's consumer is behind its partitions' ends
            # TYPE berth_consumer_lag_records gauge
            berth_consumer_lag_records{service="autoscaler",source="metrics"} 1234.0
            berth_consumer_lag_records{service="autoscaler",source="state"} 7.0
            # TYPE berth_records_processed_total counter
            berth_records_processed_total{service="autoscaler",source="metrics",topic="berth.resource-metrics"} 500.0
            berth_records_processed_total{service="autoscaler",source="metrics",topic="berth.proxy-metrics"} 20.0
            berth_records_processed_total{service="autoscaler",source="state",topic="berth.pods"} 9000.0
            berth_unit_decide_seconds_count{service="autoscaler",source="metrics"} 40
            berth_unit_decide_seconds_sum{service="autoscaler",source="metrics"} 0.5
            berth_autoscalers{service="autoscaler"} 20.0
            berth_autoscalers_other{service="autoscaler"} 99.0
            berth_autoscaler_statuses_total{service="autoscaler"} 3.0
            """;

    @Test
    void sumsTheSamplesOfAMetricWhoseLabelsMatch() {
        assertThat(MetricsCost.sum(SCRAPE, "berth_consumer_lag_records", "source=\"metrics\"")).isEqualTo(1234.0);
        assertThat(MetricsCost.sum(SCRAPE, "berth_records_processed_total", "source=\"metrics\"")).isEqualTo(520.0);
        assertThat(MetricsCost.sum(SCRAPE, "berth_records_processed_total", "")).isEqualTo(9520.0);
        assertThat(MetricsCost.sum(SCRAPE, "berth_unit_decide_seconds_count", "source=\"metrics\"")).isEqualTo(40.0);
        // a longer name that starts with the same text is another metric
        assertThat(MetricsCost.sum(SCRAPE, "berth_autoscalers", "")).isEqualTo(20.0);
        assertThat(MetricsCost.sum(SCRAPE, "berth_nothing", "")).isZero();
        assertThat(MetricsCost.sum(SCRAPE, "berth_consumer_lag_records", "source=\"metric\"")).isZero();
    }

    @Test
    void readsEverySeriesTheTableNeeds() {
        Map<String, Double> s = MetricsCost.autoscalerSeries(SCRAPE);
        assertThat(s).containsEntry("lag", 1234.0).containsEntry("metricsRecords", 520.0).containsEntry("statuses", 3.0)
                .containsEntry("inputUnits", 0.0).containsEntry("autoscalers", 20.0);
    }

    @Test
    void ratesAreDeltasOverTheWindowsWallTime() {
        MetricsCost.Sample start = new MetricsCost.Sample(1_000_000_000L, Map.of("berth.resource-metrics", 100L),
                Map.of(MetricsCost.CONTROL_PLANE, 2_000_000_000L), Map.of("statuses", 10.0), Map.of(MetricsCost.LOST, 3L));
        MetricsCost.Sample end = new MetricsCost.Sample(11_000_000_000L, Map.of("berth.resource-metrics", 10_100L),
                Map.of(MetricsCost.CONTROL_PLANE, 7_000_000_000L), Map.of("statuses", 30.0), Map.of(MetricsCost.LOST, 5L));
        MetricsCost.Window w = new MetricsCost.Window(start, end, 4_096_000, 5);
        assertThat(w.seconds()).isEqualTo(10.0);
        assertThat(w.recordsPerSecond("berth.resource-metrics")).isEqualTo(1_000.0);
        assertThat(w.recordsPerSecond("berth.pods")).isZero();
        assertThat(w.cores(MetricsCost.CONTROL_PLANE)).isCloseTo(0.5, within(1e-9));
        assertThat(w.autoscalerPerSecond("statuses")).isEqualTo(2.0);
        assertThat(w.metricsBytesPerSecond()).isEqualTo(409_600.0);
        assertThat(w.counted(MetricsCost.LOST)).isEqualTo(2);
        assertThat(w.counted(MetricsCost.NOT_READY)).isZero();
    }

    @Test
    void ratioIsOnOverOffAndSaysSoWhenOffIsZero() {
        assertThat(MetricsCost.ratio(1.5, 1.0)).isEqualTo("×1.50");
        assertThat(MetricsCost.ratio(1000, 0)).isEqualTo("— (OFF 0)");
        assertThat(MetricsCost.ratio(0, 0)).isEqualTo("×1.00");
        assertThat(MetricsCost.ratio(Double.NaN, 1)).isEqualTo("—");
    }

    @Test
    void theTableHasOneLinePerRowWithBothValuesAndTheRatio() {
        String table = MetricsCost.table("title", List.of(new MetricsCost.Row("cpu", 20, 30, "% of a core", 1)), List.of("a note"));
        assertThat(table).contains("measurement").contains("metrics OFF").contains("metrics ON").contains("ON/OFF")
                .contains("20.0 % of a core").contains("30.0 % of a core").contains("×1.50").contains("  a note");
        assertThat(MetricsCost.perSecond(10, 0)).isNaN();
    }
}
