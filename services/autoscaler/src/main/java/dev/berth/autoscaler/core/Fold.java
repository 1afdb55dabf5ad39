package dev.berth.autoscaler.core;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ContainerMetrics;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.EndpointTraffic;
import dev.berth.bus.contract.HorizontalPodAutoscalerApplied;
import dev.berth.bus.contract.HorizontalPodAutoscalerDeleted;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.Namespaces;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodMetrics;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.ProxyMetrics;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ServiceTraffic;
import dev.berth.bus.contract.ContainerState;
import java.time.Instant;
import org.pcollections.HashTreePMap;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * How each record changes the autoscaler's state: the same appliers for the rebuild at start and the live loop, so
 * both know the same. Times are the records' own (envelope time), so a rebuild dates things as they happened. Each
 * applier marks the autoscalers whose evaluation the record may change ({@link AutoscalerState#dirty}).
 */
public final class Fold {
    /** Every reason the autoscaler gives its ScaleDeployment starts so, as Kubernetes' rescale events do: how its own scales are known. */
    public static final String REASON_PREFIX = "New size: ";

    private Fold() {}

    public static AutoscalerState apply(AutoscalerState s, Envelope env) {
        Instant at = env.time();
        Object data = env.data();
        if (data instanceof HorizontalPodAutoscalerApplied a) {
            String key = a.autoscaler().key();
            return s.withAutoscalers(s.autoscalers().plus(key, a.autoscaler().withDefaults())).withDirty(s.dirty().plus(key));
        }
        if (data instanceof HorizontalPodAutoscalerDeleted d) {
            return s.withAutoscalers(s.autoscalers().minus(d.key())).withTracking(s.tracking().minus(d.key())).withDirty(s.dirty().minus(d.key()));
        }
        if (data instanceof HorizontalPodAutoscalerStatus st) return s.withTracking(s.tracking().plus(st.key(), s.trackingOf(st.key()).published(st)));
        if (data instanceof DeploymentApplied a) {
            Target before = s.deployments().get(a.key());
            int replicas = a.deployment().replicas();
            Integer outside = before == null ? null : before.replicas() != replicas ? Integer.valueOf(replicas) : before.setOutside();
            return endWaits(s.withDeployments(s.deployments().plus(a.key(), new Target(replicas, outside))), a.key()).touch(a.key());
        }
        if (data instanceof DeploymentScaled d) return scaled(s, d, at).touch(d.key());
        if (data instanceof DeploymentDeleted d) return endWaits(s.withDeployments(s.deployments().minus(d.key())), d.key()).touch(d.key());
        if (data instanceof PodCreated c) {
            ResourceList requests = c.template() == null ? ResourceList.NONE : c.template().resources().effectiveRequests();
            PodInfo p = s.pods().getOrDefault(c.pod(), PodInfo.UNKNOWN).created(c.deploymentKey(), requests.cpuMillis(), requests.memoryBytes());
            PSet<String> siblings = s.podsByDeployment().getOrDefault(c.deploymentKey(), HashTreePSet.empty()).plus(c.pod());
            return s.withPods(s.pods().plus(c.pod(), p), s.podsByDeployment().plus(c.deploymentKey(), siblings)).touch(c.deploymentKey());
        }
        if (data instanceof PodDeletionRequested d) {
            PodInfo p = s.pods().get(d.pod());
            return p == null ? s : s.withPods(s.pods().plus(d.pod(), p.deletionRequested()), s.podsByDeployment()).touch(p.deploymentKey());
        }
        if (data instanceof PodLost l) return forget(s, l.pod());
        if (data instanceof PodStatusChanged c) {
            PodInfo p = s.pods().getOrDefault(c.pod(), PodInfo.UNKNOWN);
            if (c.state() == ContainerState.Stopped) return forget(s, c.pod()); // gone: its name is never used again
            return s.withPods(s.pods().plus(c.pod(), p.reported(c.state(), c.readyForTraffic(), at)), s.podsByDeployment()).touch(p.deploymentKey());
        }
        if (data instanceof NodeMetrics m) return resources(s, m);
        if (data instanceof ProxyMetrics m) return traffic(s, m);
        return s;
    }

    /** A size change of the Deployment: the autoscaler's own lands (a scale event), any other is remembered as set outside it. */
    private static AutoscalerState scaled(AutoscalerState s, DeploymentScaled d, Instant at) {
        Target before = s.deployments().get(d.key());
        boolean ours = d.reason() != null && d.reason().startsWith(REASON_PREFIX);
        AutoscalerState next = s.withDeployments(s.deployments().plus(d.key(), new Target(d.replicas(), ours ? null : Integer.valueOf(d.replicas()))));
        PMap<String, Tracking> tracking = next.tracking();
        for (String hpa : s.autoscalersOf(d.key())) {
            Tracking t = next.trackingOf(hpa);
            tracking = tracking.plus(hpa, ours && before != null ? t.scaled(d.replicas() - before.replicas(), at) : t.withPending(null));
        }
        return next.withTracking(tracking);
    }

    /** Whatever the autoscalers of {@code deploymentKey} waited for, the Deployment changed: they may decide again. */
    private static AutoscalerState endWaits(AutoscalerState s, String deploymentKey) {
        PMap<String, Tracking> tracking = s.tracking();
        for (String hpa : s.autoscalersOf(deploymentKey)) {
            Tracking t = tracking.get(hpa);
            if (t != null && t.pending() != null) tracking = tracking.plus(hpa, t.withPending(null));
        }
        return s.withTracking(tracking);
    }

    private static AutoscalerState forget(AutoscalerState s, String pod) {
        PodInfo p = s.pods().get(pod);
        if (p == null) return s;
        PMap<String, PSet<String>> byDeployment = s.podsByDeployment();
        if (p.deploymentKey() != null) {
            PSet<String> left = byDeployment.getOrDefault(p.deploymentKey(), HashTreePSet.empty()).minus(pod);
            byDeployment = left.isEmpty() ? byDeployment.minus(p.deploymentKey()) : byDeployment.plus(p.deploymentKey(), left);
        }
        return s.withPods(s.pods().minus(pod), byDeployment).withUsage(s.usage().minus(pod)).withTraffic(s.traffic().minus(pod))
                .touch(p.deploymentKey());
    }

    /** A node's sample: each known pod's latest usage (pods of no Deployment the autoscaler knows are not kept). */
    private static AutoscalerState resources(AutoscalerState s, NodeMetrics m) {
        PMap<String, Usage> usage = s.usage();
        AutoscalerState next = s;
        for (PodMetrics p : m.pods()) {
            PodInfo info = s.pods().get(p.pod());
            if (info == null) continue;
            Usage before = usage.get(p.pod());
            if (before != null && !m.at().isAfter(before.at())) continue;
            long cpu = 0, memory = 0;
            for (ContainerMetrics c : p.containers()) {
                cpu += c.cpuMillicores();
                memory += c.memoryWorkingSetBytes();
            }
            usage = usage.plus(p.pod(), new Usage(m.at(), m.windowMillis(), cpu, memory));
            next = next.touch(info.deploymentKey() != null ? info.deploymentKey() : Namespaces.key(p.namespace(), p.deployment()));
        }
        return next.withUsage(usage);
    }

    /** A node proxy's counters: each endpoint pod's counter per (node, Service), whose rate is the pod's share of requests. */
    private static AutoscalerState traffic(AutoscalerState s, ProxyMetrics m) {
        PMap<String, PMap<String, Counter>> traffic = s.traffic();
        AutoscalerState next = s;
        for (ServiceTraffic service : m.services()) {
            String source = m.node() + "|" + Namespaces.key(service.namespace(), service.name());
            for (EndpointTraffic e : service.endpoints()) {
                PodInfo info = s.pods().get(e.pod());
                if (info == null) continue;
                PMap<String, Counter> counters = traffic.getOrDefault(e.pod(), HashTreePMap.empty());
                Counter before = counters.get(source);
                Counter after = before == null ? new Counter(m.at(), e.requests(), null) : before.next(m.at(), e.requests());
                traffic = traffic.plus(e.pod(), counters.plus(source, after));
                next = next.touch(info.deploymentKey());
            }
        }
        return next.withTraffic(traffic);
    }
}
