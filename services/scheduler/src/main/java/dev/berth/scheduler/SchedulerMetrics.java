package dev.berth.scheduler;

import dev.berth.bus.Outbound;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.bus.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's own series: scheduling latency (from the PodCreated record's broker timestamp to the
 * placement decision, Kubernetes' scheduler_pod_scheduling_duration_seconds in spirit) as a histogram, and
 * attempts by result. Runs on the loop's context only.
 */
final class SchedulerMetrics {
    /** Pods waiting to be placed whose creation time is remembered; the oldest are forgotten beyond this. */
    private static final int PENDING_MAX = 100_000;

    private final Timer latency;
    private final Counter scheduled, unschedulable, released;
    private final Map<String, Long> createdAt = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) { return size() > PENDING_MAX; }
    };

    SchedulerMetrics(ServiceMetrics metrics) {
        MeterRegistry r = metrics.registry();
        latency = Timer.builder("berth.scheduling.latency").description("From a pod's creation record to its placement decision")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(r);
        scheduled = attempts(r, "scheduled");
        unschedulable = attempts(r, "unschedulable");
        released = Counter.builder("berth.pods.released").description("Pods released from their node").register(r);
    }

    private static Counter attempts(MeterRegistry r, String result) {
        return Counter.builder("berth.scheduling.attempts").description("Scheduling decisions by result").tag("result", result).register(r);
    }

    void received(ServiceLoop.Received in) {
        if (in.payload() instanceof PodCreated c) createdAt.putIfAbsent(c.pod(), in.record().timestamp());
    }

    void decided(List<Outbound> outputs) {
        long now = System.currentTimeMillis();
        for (Outbound o : outputs) {
            if (o.payload() instanceof PodPlaced p) {
                scheduled.increment();
                Long created = createdAt.remove(p.pod());
                if (created != null && created > 0) latency.record(Duration.ofMillis(Math.max(0, now - created)));
            } else if (o.payload() instanceof PodUnschedulable) {
                unschedulable.increment();
            } else if (o.payload() instanceof PodReleased p) {
                released.increment();
                createdAt.remove(p.pod());
            }
        }
    }
}
