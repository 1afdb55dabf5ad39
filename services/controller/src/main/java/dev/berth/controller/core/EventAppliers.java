package dev.berth.controller.core;

import dev.berth.bus.Cause;
import dev.berth.bus.Envelope;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.DeploymentEvent;
import dev.berth.bus.contract.NamespaceApplied;
import dev.berth.bus.contract.NamespaceDeleted;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.DeploymentStatusChanged;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodIntruderFound;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.ConfigMapApplied;
import dev.berth.bus.contract.ConfigMapDeleted;
import dev.berth.bus.contract.HorizontalPodAutoscalerApplied;
import dev.berth.bus.contract.SecretApplied;
import dev.berth.bus.contract.SecretDeleted;
import dev.berth.bus.contract.HorizontalPodAutoscalerDeleted;
import dev.berth.bus.contract.JobApplied;
import dev.berth.bus.contract.JobDeleted;
import dev.berth.bus.contract.JobEvent;
import dev.berth.bus.contract.JobStatusChanged;
import dev.berth.bus.contract.ServiceApplied;
import dev.berth.bus.contract.ServiceDeleted;
import dev.berth.bus.contract.ServicePort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The only code that changes {@link ControllerState}: one applier per event kind. Live processing
 * applies the events it is about to publish; rebuilding at start folds the same events read back
 * from the log, so both paths end in the same state. Appliers are idempotent for a repeated event.
 * Events the controller does not track (releases, scheduling outcomes, rejections) change nothing.
 */
public final class EventAppliers {
    private EventAppliers() {}

    /** Applies one event; {@code at} is when it happened (heartbeats and node statuses keep it). */
    public static ControllerState apply(ControllerState state, Event event, Instant at) {
        return state.with(b -> apply(b, event, at));
    }

    /** Applies events in order, all observed at {@code at}. */
    public static ControllerState applyAll(ControllerState state, List<? extends Event> events, Instant at) {
        if (events.isEmpty()) return state;
        return state.with(b -> events.forEach(e -> apply(b, e, at)));
    }

    /** Folds envelopes read from the log, each at its own time; payloads that are not events are skipped. */
    public static ControllerState fold(ControllerState state, Iterable<Envelope> envelopes) {
        return state.with(b -> {
            for (Envelope env : envelopes) {
                if (env.data() instanceof Event e) {
                    apply(b, e, env.time());
                    // Pod events a deployment event leads to answer it: the rebuilt state knows so too.
                    String deployment = deploymentEventName(e);
                    if (deployment != null) b.cause(deployment, Cause.of(env));
                }
            }
        });
    }

    /** The key of the deployment a deployment event changes ({@link dev.berth.bus.contract.Namespaces#key}); null for other events. */
    static String deploymentEventName(Event e) {
        // A status the controller publishes answers what changed the deployment: it is no new cause.
        if (e instanceof JobEvent j) return e instanceof JobStatusChanged ? null : JobRecord.ownerKey(j.namespace(), j.name());
        return e instanceof DeploymentEvent d && !(e instanceof DeploymentStatusChanged) ? d.key() : null;
    }

    static void apply(ControllerState.Builder b, Event event, Instant at) {
        if (event instanceof DeploymentApplied e) deploymentApplied(b, e, at);
        else if (event instanceof DeploymentStatusChanged e) deploymentStatusChanged(b, e);
        else if (event instanceof DeploymentScaled e) deploymentScaled(b, e);
        else if (event instanceof DeploymentDeleted e) deploymentDeleted(b, e);
        else if (event instanceof NamespaceApplied e) b.putNamespace(new NamespaceRecord(e.name(), false));
        else if (event instanceof NamespaceDeleted e) b.putNamespace(new NamespaceRecord(e.name(), true));
        else if (event instanceof PodCreated e) podCreated(b, e);
        else if (event instanceof PodDeletionRequested e) podDeletionRequested(b, e);
        else if (event instanceof PodStatusChanged e) podStatusChanged(b, e, at);
        else if (event instanceof PodPlaced e) podPlaced(b, e);
        else if (event instanceof PodLost e) podLost(b, e);
        else if (event instanceof NodeHeartbeat e) nodeHeartbeat(b, e, at);
        else if (event instanceof NodeStatusChanged e) nodeStatusChanged(b, e, at);
        else if (event instanceof PodIntruderFound e) b.sightings(b.sightings().flag(e.node(), e.pod()));
        else if (event instanceof ServiceApplied e) serviceApplied(b, e);
        else if (event instanceof ServiceDeleted e) b.removeService(e.key());
        else if (event instanceof HorizontalPodAutoscalerApplied e) b.putAutoscaler(e.autoscaler());
        else if (event instanceof HorizontalPodAutoscalerDeleted e) b.removeAutoscaler(e.key());
        else if (event instanceof ConfigMapApplied e) b.putConfigMap(e.configMap());
        else if (event instanceof ConfigMapDeleted e) b.removeConfigMap(e.key());
        else if (event instanceof SecretApplied e) b.putSecret(e.secret());
        else if (event instanceof SecretDeleted e) b.removeSecret(e.key());
        else if (event instanceof Endpoints e) b.published(e);
        else if (event instanceof CommandAccepted e) b.accept(e);
        else if (event instanceof JobApplied e) jobApplied(b, e);
        else if (event instanceof JobStatusChanged e) jobStatusChanged(b, e);
        else if (event instanceof JobDeleted e) b.removeJob(e.key());
    }

    /** A changed Job keeps the status it had: its pods and counts stay. */
    private static void jobApplied(ControllerState.Builder b, JobApplied e) {
        JobRecord before = b.job(e.key());
        b.putJob(new JobRecord(e.job(), e.uid(), e.generation(), before == null ? null : before.status()));
    }

    private static void jobStatusChanged(ControllerState.Builder b, JobStatusChanged e) {
        JobRecord j = b.job(e.key());
        if (j != null) b.putJob(j.withStatus(e));
    }

    /** The tombstone of a Service's Endpoints record was published: nothing is published for it any more. */
    public static ControllerState endpointsRemoved(ControllerState state, String serviceKey) {
        return state.with(b -> b.unpublished(serviceKey));
    }

    /**
     * The accepted spec carries its addresses: the allocators take them again (a no-op live, where the processor
     * allocated them; the allocation itself when rebuilding). A Service that is no longer NodePort frees its ports.
     */
    private static void serviceApplied(ControllerState.Builder b, ServiceApplied e) {
        ServiceRecord s = new ServiceRecord(e.service());
        ClusterIpAllocator.Outcome ip = b.clusterIps().assign(s.owner(), e.service().clusterIP());
        ClusterIpAllocator ips = ip.reason().isEmpty() ? ip.allocator() : b.clusterIps(); // outside this controller's CIDR: kept as recorded
        NodePortAllocator ports = b.nodePorts().release(s.owner());
        if (e.service().nodePorts()) {
            NodePortAllocator.Outcome assigned = b.nodePorts().assign(s.owner(), e.service().ports().stream().map(ServicePort::nodePort).toList());
            if (assigned.ok()) ports = assigned.allocator();
        }
        b.putService(s, ips, ports);
    }

    /**
     * A new revision moves the current one into the history; a template equal to an older revision's (a rollback)
     * takes its new number and its old entry goes, as Kubernetes renumbers the ReplicaSet. The history keeps the
     * newest revisionHistoryLimit. Events from before revisions (0) get the number the controller would have given.
     */
    private static void deploymentApplied(ControllerState.Builder b, DeploymentApplied e, Instant at) {
        DeploymentRecord before = b.deployment(e.key());
        long revision = e.revision() > 0 ? e.revision() : before == null ? 1 : before.revisionFor(e.deployment().template());
        if (before == null) {
            b.putDeployment(new DeploymentRecord(e.deployment(), e.generation(), revision, at, List.of(), null));
            return;
        }
        List<Revision> history = new ArrayList<>(before.history());
        Instant createdAt = before.revisionCreatedAt();
        if (revision != before.revision()) {
            if (before.revision() > 0) {
                history.add(new Revision(before.revision(), before.template(), before.spec().changeCause(), before.revisionCreatedAt()));
            }
            history.removeIf(r -> r.template().equals(e.deployment().template()));
            createdAt = at;
        }
        int limit = e.deployment().rollout().revisionHistoryLimit();
        while (history.size() > Math.max(0, limit)) history.remove(0);
        b.putDeployment(new DeploymentRecord(e.deployment(), e.generation(), revision, createdAt, history, before.status()));
    }

    private static void deploymentScaled(ControllerState.Builder b, DeploymentScaled e) {
        DeploymentRecord d = b.deployment(e.key());
        if (d == null) return;
        b.putDeployment(d.withSpec(d.spec().withReplicas(e.replicas()), e.generation()));
    }

    /** The status as published: what the next status is compared with, and where the progress deadline counts from. */
    private static void deploymentStatusChanged(ControllerState.Builder b, DeploymentStatusChanged e) {
        DeploymentRecord d = b.deployment(e.key());
        if (d != null) b.putDeployment(d.withStatus(e));
    }

    private static void deploymentDeleted(ControllerState.Builder b, DeploymentDeleted e) {
        b.removeDeployment(e.key());
    }

    private static void podCreated(ControllerState.Builder b, PodCreated e) {
        if (b.pod(e.pod()) != null) return; // a repeated event: the serial was already taken
        if (e.ofJob()) {
            String owner = JobRecord.ownerKey(e.namespace(), e.deployment());
            b.putPod(PodRecord.createdForJob(e.pod(), e.deployment(), e.generation(), e.template(), b.takeSerial(owner), e.namespace()));
            return;
        }
        long serial = b.takeSerial(e.deploymentKey());
        b.putPod(PodRecord.created(e.pod(), e.deployment(), e.generation(), e.template(), serial, e.namespace(), e.revision()));
    }

    private static void podDeletionRequested(ControllerState.Builder b, PodDeletionRequested e) {
        PodRecord pod = b.pod(e.pod());
        if (pod == null) return;
        // Like an unbound pod in Kubernetes: if no node ever reported it (or it already stopped),
        // there is nothing to wait for; the scheduler drops or releases it on the same event.
        if (pod.neverReported() || pod.state() == ContainerState.Stopped) b.removePod(e.pod());
        else b.putPod(pod.withDeletionRequested());
    }

    /** {@code at}: the report's envelope time, live and rebuilt alike; a pod turning ready keeps it (minReadySeconds). */
    private static void podStatusChanged(ControllerState.Builder b, PodStatusChanged e, Instant at) {
        if (e.state() == ContainerState.Stopped && e.node() != null) b.sightings(b.sightings().unflag(e.node(), e.pod()));
        PodRecord pod = b.pod(e.pod());
        if (pod == null) return; // not ours, or already forgotten
        // Only the node the pod is bound to speaks for it: any node's principal may write berth.pod-status (docs/security.md);
        // another node's copy is an intruder there (Intruders), not this pod's news.
        if (pod.node() != null && e.node() != null && !pod.isOn(e.node())) return;
        if (pod.deletionRequested() && e.state() == ContainerState.Stopped) b.removePod(e.pod());
        else b.putPod(pod.withStatus(e.state(), e.exitCode(), e.node(), e.podIP(), e.readyForTraffic(), at).withRestartCount(e.restartCount()));
    }

    /** The scheduler bound the pod: from now on it is on that node, even before the node reports it. */
    private static void podPlaced(ControllerState.Builder b, PodPlaced e) {
        PodRecord pod = b.pod(e.pod());
        if (pod != null && !pod.isOn(e.node())) b.putPod(pod.withNode(e.node()));
    }

    /** A lost pod is forgotten: it no longer counts as a replica, and what its node says later is ignored. */
    private static void podLost(ControllerState.Builder b, PodLost e) {
        PodRecord pod = b.pod(e.pod());
        // A Job's pod that had already ended keeps its outcome: the Job counted it (Kubernetes' tracking finalizers).
        if (pod != null && pod.ofJob() && (pod.succeeded() || pod.failed())) return;
        b.removePod(e.pod());
    }

    /**
     * {@code at} is when the controller received the heartbeat, never a time the node claims: node
     * liveness is judged on the controller's clock. A heartbeat that is no news (see
     * {@link NodeRecord#isNewer}) changes nothing.
     */
    private static void nodeHeartbeat(ControllerState.Builder b, NodeHeartbeat e, Instant at) {
        NodeRecord known = b.node(e.node());
        if (known != null && !known.isNewer(e.sequence(), e.startedAt())) return;
        NodeRecord base = known != null ? known : NodeRecord.heard(e.node(), at, e.images());
        b.putNode(base.withHeartbeat(at, e.images(), e.sequence(), e.startedAt()));
        for (String image : e.images()) b.imageSeen(image, at);
    }

    private static void nodeStatusChanged(ControllerState.Builder b, NodeStatusChanged e, Instant at) {
        NodeRecord known = b.node(e.node());
        NodeRecord base = known != null ? known : new NodeRecord(e.node(), null, List.of(), null, null, false, false);
        b.putNode(base.withStatus(e.condition(), e.cordoned(), e.lastHeartbeat(), at,
                DrainNodeProcessor.REASON.equals(e.reason()), e.podCIDR(), NodePodCidrs.refused(e.reason())));
    }
}
