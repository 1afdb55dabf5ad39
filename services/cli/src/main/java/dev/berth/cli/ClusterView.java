package dev.berth.cli;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.*;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as the log tells it: a pure fold of events into deployments, pods and nodes, the
 * way {@code berth get} shows them. Folding a prefix of the log gives the cluster at that time.
 */
public final class ClusterView {

    /** Without a status from the controller, a node counts as Ready while its heartbeats are fresher than this. */
    public static final Duration NODE_READY_WINDOW = Duration.ofSeconds(5);

    public static final class DeploymentRow {
        public DeploymentSpec spec;
        public long generation;
        public Instant created;
    }

    public static final class PodRow {
        /** {@code reason} is the container's last reason (Started, CrashLoopBackOff, OOMKilled, Error, ...). */
        public String name, deployment, node, message, reason;
        public ContainerState state;
        public Integer exitCode;
        public int restarts;
        public boolean deleting;
        /** Why the pod was lost with its node; lost pods are replaced and no longer listed. */
        public String lost;
        public Instant created;
        /** What the pod runs, from its PodCreated; null if the log holds no creation (exported slice). */
        public PodTemplate template;
        /** When it was bound to its node, first reported by it, and last seen Running. */
        public Instant scheduled, started, runningSince;
        /** The digest of the image its node last started it from (containerStatuses.imageID); null if unknown. */
        public String imageID;
        /** The pod's IP on its node's pod network (status.podIP); null before its network is up. */
        public String podIP;

        /** Kubernetes-style phase: Pending, Running, Succeeded, Failed, Terminating. */
        public String phase() {
            if (deleting) return "Terminating";
            if (state == null) return "Pending";
            switch (state) {
                case Starting: return "Pending";
                // Backing off between restarts still belongs to a running pod, as in Kubernetes.
                case Running: case Waiting: return "Running";
                case Exited: return exitCode != null && exitCode == 0 ? "Succeeded" : "Failed";
                case Failed: return "Failed";
                default: return "Terminating";
            }
        }

        /** kubectl's STATUS column: the phase, or the container's reason where it says more (CrashLoopBackOff, OOMKilled, Error). */
        public String status() {
            boolean telling = state == ContainerState.Waiting || state == ContainerState.Exited || state == ContainerState.Failed;
            return !deleting && telling && reason != null && !reason.isBlank() ? reason : phase();
        }

        /** Its container runs now. */
        public boolean isReady() { return !deleting && state == ContainerState.Running; }
    }

    public static final class NodeRow {
        public String name;
        /** From the latest heartbeat read; null for a node known only from berth.nodes. */
        public NodeResources capacity, allocatable;
        /** Pods the node's agent said it runs in its latest heartbeat. */
        public int pods;
        public Instant lastHeartbeat, startedAt;
        /** From the controller's latest NodeStatusChanged; null when it published none. */
        public NodeCondition condition;
        public boolean cordoned;
        public String statusReason;
        /** The node's pod CIDR as the controller published it (spec.podCIDR); null until it did. */
        public String podCIDR;
        /** The images its latest heartbeat listed, with sizes. */
        public java.util.List<dev.berth.bus.contract.ContainerImage> images = java.util.List.of();

        /** Ready or NotReady: the controller's word, else the freshness of the heartbeats. */
        public String readiness(Instant now) {
            if (condition != null) return condition.name();
            return lastHeartbeat != null && Duration.between(lastHeartbeat, now).compareTo(NODE_READY_WINDOW) <= 0 ? "Ready" : "NotReady";
        }

        /** Like kubectl: {@code Ready}, {@code NotReady}, {@code Ready,SchedulingDisabled} when cordoned. */
        public String status(Instant now) {
            return cordoned ? readiness(now) + ",SchedulingDisabled" : readiness(now);
        }
    }

    private final Map<String, DeploymentRow> deployments = new LinkedHashMap<>();
    private final Map<String, PodRow> pods = new LinkedHashMap<>();
    private final Map<String, NodeRow> nodes = new LinkedHashMap<>();

    public void apply(Envelope e) {
        Payload data = e.data();
        if (data instanceof DeploymentApplied d) {
            DeploymentRow row = deployments.computeIfAbsent(d.deployment().name(), n -> new DeploymentRow());
            if (row.created == null) row.created = e.time();
            row.spec = d.deployment();
            row.generation = d.generation();
        } else if (data instanceof DeploymentScaled s) {
            DeploymentRow row = deployments.get(s.name());
            if (row != null) {
                row.spec = row.spec.withReplicas(s.replicas());
                row.generation = s.generation();
            }
        } else if (data instanceof DeploymentDeleted d) {
            deployments.remove(d.name());
        } else if (data instanceof PodCreated p) {
            PodRow row = pod(p.pod());
            row.deployment = p.deployment();
            row.created = e.time();
            row.template = p.template();
        } else if (data instanceof PodDeletionRequested d) {
            PodRow row = pod(d.pod());
            // Never placed: the scheduler just drops it, nothing will report it stopped.
            if (row.node == null && row.state == null) pods.remove(d.pod());
            else row.deleting = true;
        } else if (data instanceof PodPlaced p) {
            PodRow row = pod(p.pod());
            row.node = p.node();
            row.message = null;
            row.scheduled = e.time();
        } else if (data instanceof PodUnschedulable u) {
            pod(u.pod()).message = u.message();
        } else if (data instanceof PodReleased r) {
            PodRow row = pod(r.pod());
            // Released before its node ever reported it: the agent never started it, so no Stopped will come.
            if (row.state == null) pods.remove(r.pod());
            else row.deleting = true;
        } else if (data instanceof PodLost l) {
            pod(l.pod()).lost = l.reason();
        } else if (data instanceof PodStatusChanged s) {
            applyStatus(s, e.time());
        } else if (data instanceof NodeStatusChanged s) {
            NodeRow row = node(s.node());
            row.condition = s.condition();
            row.cordoned = s.cordoned();
            row.statusReason = s.reason();
            if (s.podCIDR() != null) row.podCIDR = s.podCIDR();
            if (row.lastHeartbeat == null || (s.lastHeartbeat() != null && s.lastHeartbeat().isAfter(row.lastHeartbeat))) {
                row.lastHeartbeat = s.lastHeartbeat();
            }
        } else if (data instanceof NodeHeartbeat h) {
            NodeRow row = node(h.node());
            row.capacity = h.capacity();
            row.allocatable = h.allocatable();
            row.pods = h.pods().size();
            row.lastHeartbeat = e.time();
            row.startedAt = h.startedAt();
            row.images = h.containerImages();
        }
    }

    private void applyStatus(PodStatusChanged s, Instant at) {
        PodRow row = pod(s.pod());
        if (row.started == null) row.started = at;
        if (s.state() == ContainerState.Running && row.state != ContainerState.Running) row.runningSince = at;
        if (s.state() == ContainerState.Stopped && row.deleting) {
            pods.remove(s.pod());
            return;
        }
        row.node = s.node();
        row.state = s.state();
        row.exitCode = s.exitCode();
        row.restarts = s.restartCount();
        row.message = s.message();
        row.reason = s.reason();
        if (s.imageID() != null) row.imageID = s.imageID();
        if (s.podIP() != null) row.podIP = s.podIP();
        else if (s.state() == ContainerState.Stopped) row.podIP = null; // its network went with the container
    }

    private NodeRow node(String name) {
        return nodes.computeIfAbsent(name, n -> {
            NodeRow row = new NodeRow();
            row.name = n;
            return row;
        });
    }

    private PodRow pod(String name) {
        return pods.computeIfAbsent(name, n -> {
            PodRow row = new PodRow();
            row.name = n;
            return row;
        });
    }

    public List<DeploymentRow> deployments() {
        return deployments.values().stream().sorted(Comparator.comparing(d -> d.spec.name())).toList();
    }

    /** Pods of existing deployments (or still terminating), by name; lost pods are not listed (they were replaced). */
    public List<PodRow> pods() {
        List<PodRow> rows = new ArrayList<>();
        for (PodRow p : pods.values()) {
            if (p.deployment != null && p.lost == null && (deployments.containsKey(p.deployment) || p.deleting)) rows.add(p);
        }
        rows.sort(Comparator.comparing(p -> p.name));
        return rows;
    }

    /** Listed pods bound to {@code node}. */
    public List<PodRow> podsOn(String node) {
        return pods().stream().filter(p -> node.equals(p.node)).toList();
    }

    public DeploymentRow deployment(String name) { return deployments.get(name); }

    /** The deployment a pod belongs to, or null when the view does not know the pod. */
    public String deploymentOf(String pod) {
        PodRow row = pods.get(pod);
        return row == null ? null : row.deployment;
    }

    public List<NodeRow> nodes() {
        return nodes.values().stream().sorted(Comparator.comparing(n -> n.name)).toList();
    }

    /** Pods of a deployment whose container runs now. */
    public long readyPods(String deployment) {
        return pods().stream().filter(p -> deployment.equals(p.deployment) && p.isReady()).count();
    }
}
