package dev.berth.autoscaler.core;

import dev.berth.bus.contract.MetricSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.pcollections.PMap;

/**
 * The samples one metric sees for a Deployment's pods, grouped as Kubernetes' groupPods does: pods being deleted,
 * failed or gone are ignored; pending pods are unready; a pod with no fresh sample is missing; for cpu, a pod that
 * is not ready, or whose sample's window began before it became ready while it is still initializing (within the
 * cpu initialization period of its start), is unready too.
 */
final class Samples {
    private final AutoscalerCore.Settings settings;

    Samples(AutoscalerCore.Settings settings) {
        this.settings = settings;
    }

    List<PodSample> of(AutoscalerState s, MetricSpec m, String deploymentKey, Instant now) {
        List<PodSample> out = new ArrayList<>();
        boolean resource = MetricSpec.RESOURCE.equals(m.type());
        boolean cpu = resource && MetricSpec.CPU.equals(m.name());
        boolean utilization = MetricText.utilization(m);
        for (String pod : new TreeSet<>(s.podsByDeployment().getOrDefault(deploymentKey, org.pcollections.HashTreePSet.empty()))) {
            PodInfo p = s.pods().get(pod);
            if (p == null) continue;
            Long request = !resource ? null : cpu ? p.cpuRequest() : p.memoryRequest();
            if (p.ignored()) out.add(PodSample.ignored(pod, request));
            else if (p.pending()) out.add(PodSample.unready(pod, request));
            else if (resource) out.add(resourceSample(pod, p, s.usage().get(pod), cpu, utilization, request, now));
            else out.add(podsSample(pod, m, s.traffic().get(pod), request, now));
        }
        return out;
    }

    private PodSample resourceSample(String pod, PodInfo p, Usage u, boolean cpu, boolean utilization, Long request, Instant now) {
        if (u == null || !fresh(u.at(), now)) return PodSample.missing(pod, request);
        if (cpu && cpuUnready(p, u, now)) return PodSample.unready(pod, request);
        long value = cpu ? u.cpuMillicores() : utilization ? u.memoryBytes() : saturatedMilli(u.memoryBytes());
        return PodSample.ready(pod, value, request);
    }

    /** Only {@code requests_per_second} has a source (the proxies); any other Pods metric is missing for every pod. */
    private PodSample podsSample(String pod, MetricSpec m, PMap<String, Counter> counters, Long request, Instant now) {
        if (!MetricSpec.REQUESTS_PER_SECOND.equals(m.name()) || counters == null) return PodSample.missing(pod, request);
        double perSecond = 0;
        boolean any = false;
        for (Counter c : counters.values()) {
            if (c.perSecond() == null || !fresh(c.at(), now)) continue;
            perSecond += c.perSecond();
            any = true;
        }
        return any ? PodSample.ready(pod, Math.round(perSecond * 1000), request) : PodSample.missing(pod, request);
    }

    /** Kubernetes' cpu readiness rule (groupPods). */
    boolean cpuUnready(PodInfo p, Usage u, Instant now) {
        if (p.startedAt() == null || p.readyChangedAt() == null) return true;
        if (p.startedAt().plus(settings.cpuInitializationPeriod()).isAfter(now)) {
            return !p.ready() || u.at().isBefore(p.readyChangedAt().plusMillis(u.windowMillis()));
        }
        return !p.ready() && p.startedAt().plus(settings.initialReadinessDelay()).isAfter(p.readyChangedAt());
    }

    private boolean fresh(Instant at, Instant now) { return !at.plus(settings.sampleMaxAge()).isBefore(now); }

    private static long saturatedMilli(long v) { return v > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : v * 1000; }

    /** Samples and counters too old to count any more are dropped: the state holds what is live. */
    AutoscalerState prune(AutoscalerState s, Instant now) {
        PMap<String, Usage> usage = s.usage();
        for (var e : s.usage().entrySet()) if (!fresh(e.getValue().at(), now)) usage = usage.minus(e.getKey());
        PMap<String, PMap<String, Counter>> traffic = s.traffic();
        for (var e : s.traffic().entrySet()) {
            PMap<String, Counter> kept = e.getValue();
            for (var c : e.getValue().entrySet()) if (!fresh(c.getValue().at(), now)) kept = kept.minus(c.getKey());
            if (kept != e.getValue()) traffic = kept.isEmpty() ? traffic.minus(e.getKey()) : traffic.plus(e.getKey(), kept);
        }
        return s.withUsage(usage).withTraffic(traffic);
    }
}
