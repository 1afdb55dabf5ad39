package dev.berth.autoscaler;

import dev.berth.autoscaler.core.AutoscalerState;
import dev.berth.autoscaler.core.Target;
import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The autoscaler's own series beside the loop's: autoscalers known, scale commands sent by direction (as
 * Kubernetes' horizontal_pod_autoscaler_controller_reconciliations_total counts actions), statuses published.
 * Runs on the loop's context only.
 */
final class AutoscalerMetrics {
    private final AtomicInteger autoscalers = new AtomicInteger();
    private final Counter up, down, statuses;

    AutoscalerMetrics(ServiceMetrics metrics) {
        MeterRegistry r = metrics.registry();
        Gauge.builder("berth.autoscalers", autoscalers, AtomicInteger::get).description("HorizontalPodAutoscalers known").register(r);
        up = scales(r, "up");
        down = scales(r, "down");
        statuses = Counter.builder("berth.autoscaler.statuses").description("Autoscaler statuses published").register(r);
    }

    private static Counter scales(MeterRegistry r, String direction) {
        return Counter.builder("berth.autoscaler.scales").description("ScaleDeployment commands sent, by direction").tag("direction", direction)
                .register(r);
    }

    /** An evaluation changes no Deployment's size (only the controller's DeploymentScaled does): its state still has the old ones. */
    void decided(Decision<AutoscalerState> d) {
        autoscalers.set(d.state().autoscalers().size());
        for (Outbound o : d.outputs()) {
            if (o.payload() instanceof ScaleDeployment s) {
                Target target = d.state().deployments().get(s.target());
                (target != null && s.replicas() < target.replicas() ? down : up).increment();
            } else if (o.payload() instanceof HorizontalPodAutoscalerStatus) {
                statuses.increment();
            }
        }
    }
}
