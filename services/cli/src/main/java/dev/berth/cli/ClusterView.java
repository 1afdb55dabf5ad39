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
        /** The revision of its current template (the latest DeploymentApplied's); 0 in logs from before rollouts. */
        public long revision;
        /** The controller's latest status; null before its first (older logs: views compute counts from the pods). */
        public DeploymentStatusChanged status;
        /** Its template revisions, oldest first, one per number (a rollback renumbers the template it brings back). */
        public final List<Revision> revisions = new ArrayList<>();
        /** Recent changes for describe's Events, oldest first, at most {@link #EVENTS}. */
        public final java.util.ArrayDeque<DeploymentEventRow> events = new java.util.ArrayDeque<>();
        public static final int EVENTS = 10;

        public String namespace() { return spec.namespace(); }

        /** The revision with this number; null when the history no longer holds it. */
        public Revision revision(long number) {
            for (Revision r : revisions) if (r.number() == number) return r;
            return null;
        }

        /** What `rollout history` lists: at most revisionHistoryLimit old revisions, and the current one. */
        public List<Revision> history() {
            int keep = spec.rollout().revisionHistoryLimit() + 1;
            return revisions.size() <= keep ? List.copyOf(revisions) : List.copyOf(revisions.subList(revisions.size() - keep, revisions.size()));
        }

        void event(Instant at, String type, String reason, String message) {
            events.addLast(new DeploymentEventRow(at, type, reason, message));
            while (events.size() > EVENTS) events.removeFirst();
        }
    }

    /** One template revision: its number, template, the deployment's change-cause when it was last applied, and when. */
    public record Revision(long number, PodTemplate template, String changeCause, Instant at) {}

    /** A kubectl describe event of a deployment. */
    public record DeploymentEventRow(Instant at, String type, String reason, String message) {}

    /** A namespace; default is always there (its AGE is that of the oldest record the view read). */
    public static final class NamespaceRow {
        public String name;
        public Instant created;
        /** Deleted: Terminating until its pods are gone, then no longer listed. */
        public boolean terminating;

        public String status() { return terminating ? "Terminating" : "Active"; }
    }

    public static final class PodRow {
        /** {@code reason} is the container's last reason (Started, CrashLoopBackOff, OOMKilled, Error, ...). */
        public String name, deployment, node, message, reason;
        /** Its deployment's namespace, from its PodCreated (or placement); default for records written before namespaces. */
        public String namespace = Namespaces.DEFAULT;
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
        /** The deployment revision whose template it runs (PodCreated); 0 in older logs. */
        public long revision;
        /** {@link PodCreated#JOB} when a Job owns it ({@code deployment} is then the Job's name); null: a Deployment. */
        public String ownerKind;

        public boolean ofJob() { return PodCreated.JOB.equals(ownerKind); }

        /** Each app and init container's status as its node last reported it; empty for a single-container pod's. */
        public List<dev.berth.bus.contract.ContainerStatus> containerStatuses = List.of(), initContainerStatuses = List.of();

        /** kubectl's READY column: ready app containers of all of them (a single-container pod's from its own state). */
        public String readyColumn() {
            int total = template == null ? 1 : Math.max(1, template.containers().size());
            if (containerStatuses.isEmpty()) return (total == 1 && isReady() ? 1 : 0) + "/" + total;
            long ready = deleting ? 0 : containerStatuses.stream().filter(dev.berth.bus.contract.ContainerStatus::ready).count();
            return ready + "/" + containerStatuses.size();
        }

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
            boolean telling = state == ContainerState.Waiting || state == ContainerState.Exited || state == ContainerState.Failed
                    || (reason != null && reason.startsWith("Init:")); // Init:1/2, Init:Error, Init:CrashLoopBackOff
            return !deleting && telling && reason != null && !reason.isBlank() ? reason : phase();
        }

        /** The pod's metadata.labels: its template's (none while the log holds no creation). */
        public Map<String, String> labels() { return template == null ? Map.of() : template.labels(); }

        /** The latest readiness its node reported (Kubernetes' Ready condition); null: no probe, Running means ready. */
        public Boolean probedReady;

        /** Ready for traffic: its container runs and passes its readiness probe, if it has one ({@link PodStatusChanged#readyForTraffic}). */
        public boolean isReady() { return !deleting && state == ContainerState.Running && !Boolean.FALSE.equals(probedReady); }

        /**
         * Its deployment's key (namespace/name, the bare name in default); a Job's pod has {@code [namespace/]job:name},
         * which no deployment key equals.
         */
        public String deploymentKey() { return Namespaces.key(namespace, ofJob() ? JOB_MARK + deployment : deployment); }
    }

    /** A Service as the controller accepted it (cluster IP and nodePorts allocated), with its latest Endpoints. */
    public static final class ServiceRow {
        public ServiceSpec spec;
        public Instant created;
        /** The controller's latest Endpoints for it; null before the first one. */
        public Endpoints endpoints;

        public String namespace() { return spec.namespace(); }

        /** Its endpoint addresses, ready ones ({@code ready} true) or not ready ones. */
        public List<EndpointAddress> addresses(boolean ready) {
            return endpoints == null ? List.of() : endpoints.endpoints().stream().filter(a -> a.ready() == ready).toList();
        }
    }

    /**
     * A HorizontalPodAutoscaler as the controller accepted it (defaults filled in), with the autoscaler's latest status
     * and its recent ones (at most {@link #HISTORY}, oldest first) for describe.
     */
    public static final class AutoscalerRow {
        public static final int HISTORY = 20;
        public HorizontalPodAutoscalerSpec spec;
        public Instant created;
        /** The autoscaler's latest status; null before its first. */
        public HorizontalPodAutoscalerStatus status;
        public final java.util.ArrayDeque<HorizontalPodAutoscalerStatus> history = new java.util.ArrayDeque<>();

        public String namespace() { return spec.namespace(); }

        void observed(HorizontalPodAutoscalerStatus s) {
            status = s;
            history.addLast(s);
            while (history.size() > HISTORY) history.removeFirst();
        }
    }

    /** A Job as the controller accepted it, with its latest status (null before the controller published one). */
    public static final class JobRow {
        public JobSpec spec;
        public String uid;
        public Instant created;
        public JobStatusChanged status;

        public String namespace() { return spec.namespace(); }

        /** kubectl's STATUS column: Complete, Failed or Running. */
        public String phase() {
            if (status != null && status.condition(JobCondition.COMPLETE) != null) return "Complete";
            if (status != null && status.condition(JobCondition.FAILED) != null) return "Failed";
            return "Running";
        }
    }

    /** A ConfigMap or Secret as the controller accepted it ({@code spec} is a ConfigMapSpec or a SecretSpec). */
    public record ConfigRow<T>(T spec, Instant created) {}

    /** A scale that said why (the autoscaler's, or any command's with a reason), for describe hpa's Events. */
    public record Rescale(Instant at, int replicas, String reason) {}

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
        /** The labels of its latest heartbeat: the configured ones and the well-known kubernetes.io/hostname, os, arch. */
        public Map<String, String> labels = Map.of();

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

    /** Between namespace and name in a Job pod's owner key, as the controller indexes them: no DNS label holds a colon. */
    static final String JOB_MARK = "job:";

    /** By key: the bare name in default, namespace/name elsewhere ({@link Namespaces#key}). */
    private final Map<String, JobRow> jobs = new java.util.TreeMap<>();
    private final Map<String, DeploymentRow> deployments = new LinkedHashMap<>();
    private final Map<String, NamespaceRow> namespaces = new LinkedHashMap<>();
    private final Map<String, PodRow> pods = new LinkedHashMap<>();
    private final Map<String, NodeRow> nodes = new LinkedHashMap<>();
    private final Map<String, ServiceRow> services = new LinkedHashMap<>();
    private final Map<String, AutoscalerRow> autoscalers = new LinkedHashMap<>();
    private final Map<String, ConfigRow<ConfigMapSpec>> configMaps = new java.util.TreeMap<>();
    private final Map<String, ConfigRow<SecretSpec>> secrets = new java.util.TreeMap<>();
    /** Per deployment key, its recent scales that carried a reason (at most {@link AutoscalerRow#HISTORY}). */
    private final Map<String, java.util.ArrayDeque<Rescale>> rescales = new LinkedHashMap<>();
    /** Endpoints by Service key, also those read before their Service (topics interleave by time only). */
    private final Map<String, Endpoints> endpoints = new LinkedHashMap<>();

    public void apply(Envelope e) {
        Payload data = e.data();
        NamespaceRow defaultNamespace = namespaces.computeIfAbsent(Namespaces.DEFAULT, n -> namespaceRow(n, e.time()));
        if (defaultNamespace.created == null || e.time().isBefore(defaultNamespace.created)) defaultNamespace.created = e.time();
        if (data instanceof NamespaceApplied n) {
            NamespaceRow row = namespaces.get(n.name());
            if (row == null || row.terminating) namespaces.put(n.name(), namespaceRow(n.name(), e.time()));
        } else if (data instanceof NamespaceDeleted n) {
            NamespaceRow row = namespaces.get(n.name());
            if (row != null && !n.name().equals(Namespaces.DEFAULT)) row.terminating = true;
        } else if (data instanceof DeploymentApplied d) {
            DeploymentRow row = deployments.computeIfAbsent(d.key(), n -> new DeploymentRow());
            if (row.created == null) row.created = e.time();
            applied(row, d, e.time());
        } else if (data instanceof DeploymentStatusChanged st) {
            DeploymentRow row = deployments.get(st.key());
            if (row != null) statusChanged(row, st, e.time());
        } else if (data instanceof DeploymentScaled s) {
            DeploymentRow row = deployments.get(s.key());
            if (row != null) {
                if (row.spec.replicas() != s.replicas()) {
                    row.event(e.time(), "Normal", "ScalingReplicaSet", "Scaled " + (s.replicas() > row.spec.replicas() ? "up" : "down")
                            + " to " + s.replicas() + (s.reason() == null ? "" : ": " + s.reason()));
                }
                row.spec = row.spec.withReplicas(s.replicas());
                row.generation = s.generation();
            }
            if (s.reason() != null) {
                var recent = rescales.computeIfAbsent(s.key(), k -> new java.util.ArrayDeque<>());
                recent.addLast(new Rescale(e.time(), s.replicas(), s.reason()));
                while (recent.size() > AutoscalerRow.HISTORY) recent.removeFirst();
            }
        } else if (data instanceof DeploymentDeleted d) {
            deployments.remove(d.key());
        } else if (data instanceof PodCreated p) {
            PodRow row = pod(p.pod());
            row.deployment = p.deployment();
            row.namespace = p.namespace();
            row.created = e.time();
            row.template = p.template();
            row.revision = p.revision();
            row.ownerKind = p.ownerKind();
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
            if (row.deployment == null) {
                row.deployment = p.deployment();
                row.namespace = p.namespace();
            }
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
        } else if (data instanceof ServiceApplied a) {
            ServiceRow row = services.computeIfAbsent(a.key(), k -> new ServiceRow());
            if (row.created == null) row.created = e.time();
            row.spec = a.service();
            row.endpoints = endpoints.get(a.key());
        } else if (data instanceof ServiceDeleted d) {
            services.remove(d.key());
            endpoints.remove(d.key());
        } else if (data instanceof JobApplied a) {
            JobRow row = jobs.computeIfAbsent(a.key(), k -> new JobRow());
            if (row.created == null) row.created = e.time();
            row.spec = a.job();
            row.uid = a.uid();
        } else if (data instanceof JobStatusChanged st) {
            JobRow row = jobs.get(st.key());
            if (row != null) row.status = st;
        } else if (data instanceof JobDeleted d) {
            jobs.remove(d.key());
        } else if (data instanceof ConfigMapApplied a) {
            ConfigRow<ConfigMapSpec> old = configMaps.get(a.key());
            configMaps.put(a.key(), new ConfigRow<>(a.configMap(), old == null ? e.time() : old.created()));
        } else if (data instanceof ConfigMapDeleted d) {
            configMaps.remove(d.key());
        } else if (data instanceof SecretApplied a) {
            ConfigRow<SecretSpec> old = secrets.get(a.key());
            secrets.put(a.key(), new ConfigRow<>(a.secret(), old == null ? e.time() : old.created()));
        } else if (data instanceof SecretDeleted d) {
            secrets.remove(d.key());
        } else if (data instanceof HorizontalPodAutoscalerApplied a) {
            AutoscalerRow row = autoscalers.computeIfAbsent(a.key(), k -> new AutoscalerRow());
            if (row.created == null) row.created = e.time();
            row.spec = a.autoscaler();
        } else if (data instanceof HorizontalPodAutoscalerDeleted d) {
            autoscalers.remove(d.key());
        } else if (data instanceof HorizontalPodAutoscalerStatus st) {
            AutoscalerRow row = autoscalers.get(st.key());
            if (row != null) row.observed(st);
        } else if (data instanceof Endpoints ep) {
            endpoints.put(ep.key(), ep);
            ServiceRow row = services.get(ep.key());
            if (row != null) row.endpoints = ep;
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
            row.labels = h.labels();
        }
    }

    /**
     * A new spec: a new revision number keeps its template (a template brought back drops its old number, as a
     * rolled-back ReplicaSet is renumbered); the same number takes the latest change-cause, as kubectl annotate would.
     */
    private static void applied(DeploymentRow row, DeploymentApplied d, Instant at) {
        boolean newRevision = d.revision() > 0 && d.revision() != row.revision;
        row.spec = d.deployment();
        row.generation = d.generation();
        if (d.revision() <= 0) return;
        PodTemplate t = d.deployment().template();
        if (newRevision) {
            row.revisions.removeIf(r -> r.number() == d.revision() || r.template().equals(t));
            row.revisions.add(new Revision(d.revision(), t, d.deployment().changeCause(), at));
            while (row.revisions.size() > dev.berth.bus.Limits.REVISION_HISTORY_MAX + 1) row.revisions.remove(0);
            if (row.revision > 0) row.event(at, "Normal", "ScalingReplicaSet", "Rolling out revision " + d.revision() + " (image " + t.image() + ")");
        } else {
            row.revisions.replaceAll(r -> r.number() == d.revision() ? new Revision(r.number(), t, d.deployment().changeCause(), r.at()) : r);
        }
        row.revision = d.revision();
    }

    /** The latest status; a change of the Progressing reason is an event, a Warning when the deadline passed. */
    private static void statusChanged(DeploymentRow row, DeploymentStatusChanged st, Instant at) {
        DeploymentCondition before = row.status == null ? null : row.status.condition(DeploymentCondition.PROGRESSING);
        DeploymentCondition now = st.condition(DeploymentCondition.PROGRESSING);
        row.status = st;
        if (now == null || now.reason() == null || (before != null && now.reason().equals(before.reason()))) return;
        boolean failed = "ProgressDeadlineExceeded".equals(now.reason());
        row.event(at, failed ? "Warning" : "Normal", now.reason(), now.message() == null ? "" : now.message());
    }

    /** A tombstone on a compacted topic: on berth.endpoints, the Service's endpoints are gone. */
    public void tombstone(String topic, String key) {
        if (!dev.berth.bus.Topic.ENDPOINTS.topicName().equals(topic) || key == null) return;
        endpoints.remove(key);
        ServiceRow row = services.get(key);
        if (row != null) row.endpoints = null;
    }

    /** Services by namespace, then name. */
    public List<ServiceRow> services() {
        return services.values().stream().sorted(Comparator.comparing(ServiceRow::namespace).thenComparing(r -> r.spec.name())).toList();
    }

    public ServiceRow service(String namespace, String name) { return services.get(Namespaces.key(namespace, name)); }

    /** HorizontalPodAutoscalers by namespace, then name. */
    /** ConfigMaps by namespace, then name. */
    public List<ConfigRow<ConfigMapSpec>> configMaps() {
        return configMaps.values().stream().sorted(Comparator.comparing((ConfigRow<ConfigMapSpec> r) -> r.spec().namespace())
                .thenComparing(r -> r.spec().name())).toList();
    }

    /** Secrets by namespace, then name. */
    public List<ConfigRow<SecretSpec>> secrets() {
        return secrets.values().stream().sorted(Comparator.comparing((ConfigRow<SecretSpec> r) -> r.spec().namespace())
                .thenComparing(r -> r.spec().name())).toList();
    }

    public List<AutoscalerRow> autoscalers() {
        return autoscalers.values().stream().sorted(Comparator.comparing(AutoscalerRow::namespace).thenComparing(r -> r.spec.name())).toList();
    }

    public AutoscalerRow autoscaler(String namespace, String name) { return autoscalers.get(Namespaces.key(namespace, name)); }

    /** The autoscalers whose scaleTargetRef is the deployment with this key. */
    public List<AutoscalerRow> autoscalersOf(String deploymentKey) {
        return autoscalers().stream().filter(a -> a.spec.targetKey().equals(deploymentKey)).toList();
    }

    /** The deployment's (by key) recent scales that said why, oldest first. */
    public List<Rescale> rescales(String deploymentKey) { return List.copyOf(rescales.getOrDefault(deploymentKey, new java.util.ArrayDeque<>())); }

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
        row.probedReady = s.ready();
        row.containerStatuses = s.containerStatuses();
        row.initContainerStatuses = s.initContainerStatuses();
        if (s.imageID() != null) row.imageID = s.imageID();
        if (s.podIP() != null) row.podIP = s.podIP();
        else if (s.state() == ContainerState.Stopped) row.podIP = null; // its network went with the container
    }

    private static NamespaceRow namespaceRow(String name, Instant created) {
        NamespaceRow row = new NamespaceRow();
        row.name = name;
        row.created = created;
        return row;
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

    /** By namespace, then name: kubectl's order with -A. */
    public List<DeploymentRow> deployments() {
        return deployments.values().stream().sorted(Comparator.comparing((DeploymentRow d) -> d.spec.namespace())
                .thenComparing(d -> d.spec.name())).toList();
    }

    /** The namespaces that exist: default, those created, and deleted ones while anything of them is left; by name. */
    public List<NamespaceRow> namespaces() {
        List<NamespaceRow> rows = new ArrayList<>();
        for (NamespaceRow n : namespaces.values()) if (!n.terminating || hasContent(n.name)) rows.add(n);
        if (!namespaces.containsKey(Namespaces.DEFAULT)) rows.add(namespaceRow(Namespaces.DEFAULT, null));
        rows.sort(Comparator.comparing(n -> n.name));
        return rows;
    }

    public NamespaceRow namespace(String name) {
        return namespaces().stream().filter(n -> n.name.equals(name)).findFirst().orElse(null);
    }

    private boolean hasContent(String namespace) {
        return deployments.values().stream().anyMatch(d -> d.namespace().equals(namespace))
                || jobs.values().stream().anyMatch(j -> j.namespace().equals(namespace))
                || pods().stream().anyMatch(p -> p.namespace.equals(namespace));
    }

    /** Pods of existing deployments (or still terminating), by name; lost pods are not listed (they were replaced). */
    public List<PodRow> pods() {
        List<PodRow> rows = new ArrayList<>();
        for (PodRow p : pods.values()) {
            boolean owned = p.ofJob() ? jobs.containsKey(Namespaces.key(p.namespace, p.deployment)) : deployments.containsKey(p.deploymentKey());
            if (p.deployment != null && p.lost == null && (owned || p.deleting)) rows.add(p);
        }
        rows.sort(Comparator.comparing((PodRow p) -> p.namespace).thenComparing(p -> p.name));
        return rows;
    }

    /** Jobs by namespace, then name. */
    public List<JobRow> jobs() {
        return jobs.values().stream().sorted(Comparator.comparing(JobRow::namespace).thenComparing(j -> j.spec.name())).toList();
    }

    public JobRow job(String namespace, String name) { return jobs.get(Namespaces.key(namespace, name)); }

    /** The listed pods of a Job. */
    public List<PodRow> podsOfJob(String namespace, String name) {
        return pods().stream().filter(p -> p.ofJob() && p.namespace.equals(namespace) && p.deployment.equals(name)).toList();
    }

    /** Listed pods bound to {@code node}. */
    public List<PodRow> podsOn(String node) {
        return pods().stream().filter(p -> node.equals(p.node)).toList();
    }

    /** The deployment with this key ({@link Namespaces#key}: a bare name is one in default). */
    public DeploymentRow deployment(String key) { return deployments.get(key); }

    public DeploymentRow deployment(String namespace, String name) { return deployments.get(Namespaces.key(namespace, name)); }

    /** The key of the deployment a pod belongs to, or null when the view does not know the pod. */
    public String deploymentOf(String pod) {
        PodRow row = pods.get(pod);
        return row == null || row.deployment == null ? null : row.deploymentKey();
    }

    /** The pod's namespace, or null when the view does not know the pod. */
    public String namespaceOf(String pod) {
        PodRow row = pods.get(pod);
        return row == null ? null : row.namespace;
    }

    public List<NodeRow> nodes() {
        return nodes.values().stream().sorted(Comparator.comparing(n -> n.name)).toList();
    }

    /**
     * A deployment's status counts as Kubernetes reports them: the controller's latest DeploymentStatusChanged, else
     * (logs from before it published them) computed from the pods: not terminating ones, those of the current revision
     * (or template), ready ones; available counts the ready (minReadySeconds is the controller's to judge).
     */
    public record Counts(long observedGeneration, int replicas, int updated, int ready, int available, int unavailable,
                         List<DeploymentCondition> conditions, boolean published) {}

    public Counts counts(DeploymentRow d) {
        DeploymentStatusChanged s = d.status;
        if (s != null) {
            return new Counts(s.observedGeneration(), s.replicas(), s.updatedReplicas(), s.readyReplicas(), s.availableReplicas(),
                    s.unavailableReplicas(), s.conditions(), true);
        }
        int replicas = 0, updated = 0, ready = 0;
        for (PodRow p : pods()) {
            if (!d.spec.key().equals(p.deploymentKey()) || p.deleting) continue;
            replicas++;
            boolean current = d.revision > 0 && p.revision > 0 ? p.revision == d.revision : d.spec.template().equals(p.template);
            if (current) updated++;
            if (p.isReady()) ready++;
        }
        return new Counts(d.generation, replicas, updated, ready, ready, Math.max(0, d.spec.replicas() - ready), List.of(), false);
    }

    /** Pods of a deployment (by key) whose container runs now. */
    public long readyPods(String deploymentKey) {
        return pods().stream().filter(p -> deploymentKey.equals(p.deploymentKey()) && p.isReady()).count();
    }
}
