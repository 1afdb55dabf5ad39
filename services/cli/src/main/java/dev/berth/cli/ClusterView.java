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

    /** A node counts as Ready while its heartbeats are fresher than this. */
    public static final Duration NODE_READY_WINDOW = Duration.ofSeconds(5);

    public static final class DeploymentRow {
        public DeploymentSpec spec;
        public long generation;
        public Instant created;
    }

    public static final class PodRow {
        public String name, deployment, node, message;
        public ContainerState state;
        public Integer exitCode;
        public int restarts;
        public boolean deleting;
        public Instant created;

        /** Kubernetes-style phase: Pending, Running, Succeeded, Failed, Terminating. */
        public String phase() {
            if (deleting) return "Terminating";
            if (state == null) return "Pending";
            switch (state) {
                case Starting: return "Pending";
                case Running: return "Running";
                case Exited: return exitCode != null && exitCode == 0 ? "Succeeded" : "Failed";
                case Failed: return "Failed";
                default: return "Terminating";
            }
        }
    }

    public static final class NodeRow {
        public String name;
        public NodeResources capacity, allocatable;
        public int pods;
        public Instant lastHeartbeat, startedAt;

        public String status(Instant now) {
            return lastHeartbeat != null && Duration.between(lastHeartbeat, now).compareTo(NODE_READY_WINDOW) <= 0 ? "Ready" : "NotReady";
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
        } else if (data instanceof PodDeletionRequested d) {
            pod(d.pod()).deleting = true;
        } else if (data instanceof PodPlaced p) {
            PodRow row = pod(p.pod());
            row.node = p.node();
            row.message = null;
        } else if (data instanceof PodUnschedulable u) {
            pod(u.pod()).message = u.message();
        } else if (data instanceof PodReleased r) {
            pod(r.pod()).deleting = true;
        } else if (data instanceof PodStatusChanged s) {
            applyStatus(s);
        } else if (data instanceof NodeHeartbeat h) {
            NodeRow row = nodes.computeIfAbsent(h.node(), n -> new NodeRow());
            row.name = h.node();
            row.capacity = h.capacity();
            row.allocatable = h.allocatable();
            row.pods = h.pods().size();
            row.lastHeartbeat = e.time();
            row.startedAt = h.startedAt();
        }
    }

    private void applyStatus(PodStatusChanged s) {
        PodRow row = pod(s.pod());
        if (s.state() == ContainerState.Stopped && row.deleting) {
            pods.remove(s.pod());
            return;
        }
        row.node = s.node();
        row.state = s.state();
        row.exitCode = s.exitCode();
        row.restarts = s.restartCount();
        row.message = s.message();
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

    /** Pods of existing deployments (or still terminating), by name. */
    public List<PodRow> pods() {
        List<PodRow> rows = new ArrayList<>();
        for (PodRow p : pods.values()) {
            if (p.deployment != null && (deployments.containsKey(p.deployment) || p.deleting)) rows.add(p);
        }
        rows.sort(Comparator.comparing(p -> p.name));
        return rows;
    }

    public List<NodeRow> nodes() {
        return nodes.values().stream().sorted(Comparator.comparing(n -> n.name)).toList();
    }

    /** Pods of a deployment that run now. */
    public long readyPods(String deployment) {
        return pods().stream().filter(p -> deployment.equals(p.deployment) && "Running".equals(p.phase())).count();
    }
}
