package dev.berth.autoscaler.core;

import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import org.pcollections.HashTreePMap;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * Everything the autoscaler knows, folded from the log: autoscalers by key, Deployments by key, pods by name (and
 * by deployment), each pod's latest resource sample and request counters, each autoscaler's {@link Tracking}, and
 * the autoscalers an input touched since the last evaluation ({@code dirty}). Immutable; a change costs O(log n).
 */
public record AutoscalerState(PMap<String, HorizontalPodAutoscalerSpec> autoscalers, PMap<String, Target> deployments,
                              PMap<String, PodInfo> pods, PMap<String, PSet<String>> podsByDeployment, PMap<String, Usage> usage,
                              PMap<String, PMap<String, Counter>> traffic, PMap<String, Tracking> tracking, PSet<String> dirty) {
    public static final AutoscalerState EMPTY = new AutoscalerState(HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(),
            HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(), HashTreePSet.empty());

    public AutoscalerState withAutoscalers(PMap<String, HorizontalPodAutoscalerSpec> a) {
        return new AutoscalerState(a, deployments, pods, podsByDeployment, usage, traffic, tracking, dirty);
    }

    public AutoscalerState withDeployments(PMap<String, Target> d) {
        return new AutoscalerState(autoscalers, d, pods, podsByDeployment, usage, traffic, tracking, dirty);
    }

    public AutoscalerState withPods(PMap<String, PodInfo> p, PMap<String, PSet<String>> byDeployment) {
        return new AutoscalerState(autoscalers, deployments, p, byDeployment, usage, traffic, tracking, dirty);
    }

    public AutoscalerState withUsage(PMap<String, Usage> u) {
        return new AutoscalerState(autoscalers, deployments, pods, podsByDeployment, u, traffic, tracking, dirty);
    }

    public AutoscalerState withTraffic(PMap<String, PMap<String, Counter>> t) {
        return new AutoscalerState(autoscalers, deployments, pods, podsByDeployment, usage, t, tracking, dirty);
    }

    public AutoscalerState withTracking(PMap<String, Tracking> t) {
        return new AutoscalerState(autoscalers, deployments, pods, podsByDeployment, usage, traffic, t, dirty);
    }

    public AutoscalerState withDirty(PSet<String> d) {
        return new AutoscalerState(autoscalers, deployments, pods, podsByDeployment, usage, traffic, tracking, d);
    }

    public Tracking trackingOf(String key) { return tracking.getOrDefault(key, Tracking.NEW); }

    /** The autoscalers whose target is the Deployment {@code deploymentKey} (a handful: scanned). */
    public PSet<String> autoscalersOf(String deploymentKey) {
        PSet<String> out = HashTreePSet.empty();
        if (deploymentKey == null) return out;
        for (var e : autoscalers.entrySet()) if (e.getValue().targetKey().equals(deploymentKey)) out = out.plus(e.getKey());
        return out;
    }

    /** Marks the autoscalers of {@code deploymentKey} for evaluation after this batch. */
    public AutoscalerState touch(String deploymentKey) {
        PSet<String> hit = autoscalersOf(deploymentKey);
        return hit.isEmpty() ? this : withDirty(dirty.plusAll(hit));
    }
}
