package dev.berth.autoscaler;

import dev.berth.autoscaler.core.AutoscalerCore;
import java.time.Duration;

/**
 * How the autoscaler service runs.
 *
 * @param syncPeriod      every autoscaler is evaluated at least this often, samples or not (Kubernetes'
 *                        --horizontal-pod-autoscaler-sync-period, 15 s); a batch of new samples evaluates the
 *                        autoscalers it concerns at once
 * @param metricsLookback how far back resource and proxy metrics are read at start: a sample older than
 *                        {@link AutoscalerCore.Settings#sampleMaxAge} counts as missing anyway
 * @param settings        the core's tolerance, sample age, scale timeout and Kubernetes' initialization periods
 */
public record AutoscalerOptions(Duration syncPeriod, Duration metricsLookback, AutoscalerCore.Settings settings) {

    public static AutoscalerOptions defaults() {
        AutoscalerCore.Settings settings = AutoscalerCore.Settings.defaults();
        return new AutoscalerOptions(Duration.ofSeconds(15), settings.sampleMaxAge(), settings);
    }

    public AutoscalerOptions withSyncPeriod(Duration d) { return new AutoscalerOptions(d, metricsLookback, settings); }

    public AutoscalerOptions withMetricsLookback(Duration d) { return new AutoscalerOptions(syncPeriod, d, settings); }

    public AutoscalerOptions withSettings(AutoscalerCore.Settings s) { return new AutoscalerOptions(syncPeriod, metricsLookback, s); }
}
