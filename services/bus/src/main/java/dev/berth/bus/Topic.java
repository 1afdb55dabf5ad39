package dev.berth.bus;

import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.CommandResult;
import dev.berth.bus.contract.ConfigMapEvent;
import dev.berth.bus.contract.ContainerLogs;
import dev.berth.bus.contract.PodUnhealthy;
import dev.berth.bus.contract.DeploymentEvent;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.HorizontalPodAutoscalerEvent;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.JobEvent;
import dev.berth.bus.contract.NamespaceEvent;
import dev.berth.bus.contract.NodeEvent;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodEvent;
import dev.berth.bus.contract.PodIntruderFound;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.bus.contract.ProxyMetrics;
import dev.berth.bus.contract.SchedulingStep;
import dev.berth.bus.contract.SecretEvent;
import dev.berth.bus.contract.ServiceEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalogue of every Kafka topic Berth uses: one place in code, mirrored as a table in
 * docs/topics.md. Each topic has exactly one owning service (its only writer), carries a known set of
 * payload types ({@link #carries}), each keyed by a rule of the topic's ({@link #keyOf}).
 */
public enum Topic {
    COMMANDS("berth.commands", "deployment, service, autoscaler, job, configmap or secret (namespace/name; bare name in default), namespace or node name", Owner.USERS, 3, Cleanup.DELETE, Duration.ofDays(30),
            "Desired-state commands from users (CLI, kcat, scripts)."),
    COMMAND_RESULTS("berth.command-results", "command id", Owner.CONTROLLER, 3, Cleanup.DELETE, Duration.ofDays(30),
            "One answer per command: accepted, or rejected with a reason."),
    DEPLOYMENTS("berth.deployments", "deployment (namespace/name; bare name in default) or namespace name", Owner.CONTROLLER, 3, Cleanup.DELETE, Duration.ofDays(365),
            "History of desired state: namespaces created and deleted, deployments applied (with their revision), scaled, deleted; each deployment's rollout status."),
    PODS("berth.pods", "pod name", Owner.CONTROLLER, 6, Cleanup.DELETE, Duration.ofDays(365),
            "Pod intents from the reconciler: created, deletion requested."),
    NODES("berth.nodes", "node name", Owner.CONTROLLER, 3, Cleanup.DELETE, Duration.ofDays(365),
            "Node status as the controller sees it: Ready/NotReady (heartbeats), cordoned."),
    PLACEMENTS("berth.placements", "node name", Owner.SCHEDULER, 6, Cleanup.DELETE, Duration.ofDays(365),
            "Bindings of pods to nodes and their release, in order per node."),
    SCHEDULING("berth.scheduling", "pod name (steps: scheduler)", Owner.SCHEDULER, 3, Cleanup.DELETE, Duration.ofDays(365),
            "Scheduling outcomes that are not placements: unschedulable pods and why; the steps that replay re-runs."),
    NODE_HEARTBEATS("berth.node-heartbeats", "node name", Owner.NODE_AGENT, 3, Cleanup.DELETE, Duration.ofDays(1),
            "Node liveness, capacity, allocatable resources and running pods, every second."),
    POD_STATUS("berth.pod-status", "pod name", Owner.NODE_AGENT, 6, Cleanup.DELETE, Duration.ofDays(365),
            "What actually runs: container state changes reported by node agents; failed probes (Unhealthy)."),
    SERVICES("berth.services", "service (namespace/name; bare name in default)", Owner.CONTROLLER, 3, Cleanup.DELETE, Duration.ofDays(365),
            "History of Services: applied (with the cluster IP and nodePorts allocated) and deleted."),
    ENDPOINTS("berth.endpoints", "service (namespace/name; bare name in default)", Owner.CONTROLLER, 3, Cleanup.COMPACT, Duration.ofDays(365),
            "Each Service's address, ports and selected pods (ready or not), level-triggered; a tombstone when it is deleted."),
    PROXY_METRICS("berth.proxy-metrics", "node name", Owner.PROXY, 3, Cleanup.DELETE, Duration.ofDays(1),
            "Each node proxy's connection and request counters per Service and endpoint, every few seconds."),
    RESOURCE_METRICS("berth.resource-metrics", "node name", Owner.NODE_AGENT, 3, Cleanup.DELETE, Duration.ofDays(1),
            "CPU and memory usage of each node and of each pod's containers, read from cgroups every few seconds."),
    AUTOSCALERS("berth.autoscalers", "autoscaler (namespace/name; bare name in default)", Owner.CONTROLLER, 3, Cleanup.DELETE, Duration.ofDays(365),
            "History of HorizontalPodAutoscalers: applied (with defaults filled in) and deleted."),
    AUTOSCALER_STATUS("berth.autoscaler-status", "autoscaler (namespace/name; bare name in default)", Owner.AUTOSCALER, 3, Cleanup.DELETE,
            Duration.ofDays(30), "What each autoscaler saw and decided: current metrics, replicas, conditions, the reason, when it changes."),
    JOBS("berth.jobs", "job (namespace/name; bare name in default)", Owner.CONTROLLER, 3, Cleanup.DELETE, Duration.ofDays(365),
            "History of Jobs: applied (with their uid), status (active, succeeded, failed, Complete/Failed conditions), deleted."),
    LOGS("berth.logs", "pod name", Owner.NODE_AGENT, 6, Cleanup.DELETE, Duration.ofDays(3),
            "Containers' stdout and stderr lines, shipped by their node in batches, rate-capped per pod."),
    CONFIG_MAPS("berth.configmaps", "configmap (namespace/name; bare name in default)", Owner.CONTROLLER, 3, Cleanup.COMPACT, Duration.ofDays(365),
            "ConfigMaps as accepted and their deletion; compacted, so a key's last record is the ConfigMap now."),
    SECRETS("berth.secrets", "secret (namespace/name; bare name in default)", Owner.CONTROLLER, 3, Cleanup.COMPACT, Duration.ofDays(365),
            "Secrets as accepted and their deletion; compacted, so replaced values leave the log; read only by the controller and node agents."),
    DEAD_LETTERS("berth.dead-letters", "source topic", Owner.ANY_CONSUMER, 1, Cleanup.DELETE, Duration.ofDays(30),
            "Poison records set aside by a consumer, with the reason; never consumed by services.");

    public enum Owner { USERS, CONTROLLER, SCHEDULER, NODE_AGENT, PROXY, AUTOSCALER, ANY_CONSUMER }

    public enum Cleanup { DELETE, COMPACT }

    private final String topicName;
    private final String key;
    private final Owner owner;
    private final int partitions;
    private final Cleanup cleanup;
    private final Duration retention;
    private final String purpose;

    Topic(String topicName, String key, Owner owner, int partitions, Cleanup cleanup, Duration retention, String purpose) {
        this.topicName = topicName;
        this.key = key;
        this.owner = owner;
        this.partitions = partitions;
        this.cleanup = cleanup;
        this.retention = retention;
        this.purpose = purpose;
    }

    /** The Kafka topic name, always {@code berth.*}. */
    public String topicName() { return topicName; }
    public String key() { return key; }
    public Owner owner() { return owner; }
    public int partitions() { return partitions; }
    public Cleanup cleanup() { return cleanup; }
    public Duration retention() { return retention; }
    public String purpose() { return purpose; }

    /** The payload types each topic carries: every type has exactly one topic (checked by TopicPayloadsTest). */
    private static final Map<Topic, List<Class<? extends Payload>>> CARRIES = Map.ofEntries(
            Map.entry(COMMANDS, List.of(Command.class)),
            Map.entry(COMMAND_RESULTS, List.of(CommandResult.class)),
            Map.entry(DEPLOYMENTS, List.of(DeploymentEvent.class, NamespaceEvent.class)),
            Map.entry(PODS, List.of(PodCreated.class, PodDeletionRequested.class, PodLost.class)),
            Map.entry(NODES, List.of(NodeStatusChanged.class, PodIntruderFound.class)),
            Map.entry(PLACEMENTS, List.of(PodPlaced.class, PodReleased.class)),
            Map.entry(SCHEDULING, List.of(PodUnschedulable.class, SchedulingStep.class)),
            Map.entry(NODE_HEARTBEATS, List.of(NodeHeartbeat.class)),
            Map.entry(POD_STATUS, List.of(PodStatusChanged.class, PodUnhealthy.class)),
            Map.entry(SERVICES, List.of(ServiceEvent.class)),
            Map.entry(ENDPOINTS, List.of(Endpoints.class)),
            Map.entry(PROXY_METRICS, List.of(ProxyMetrics.class)),
            Map.entry(RESOURCE_METRICS, List.of(NodeMetrics.class)),
            Map.entry(AUTOSCALERS, List.of(HorizontalPodAutoscalerEvent.class)),
            Map.entry(AUTOSCALER_STATUS, List.of(HorizontalPodAutoscalerStatus.class)),
            Map.entry(JOBS, List.of(JobEvent.class)),
            Map.entry(LOGS, List.of(ContainerLogs.class)),
            Map.entry(CONFIG_MAPS, List.of(ConfigMapEvent.class)),
            Map.entry(SECRETS, List.of(SecretEvent.class)));

    /**
     * Who reads each topic besides its owner (owners read their own topics back to rebuild): the ACLs
     * grant READ from this ({@link dev.berth.bus.security.Acls}), docs/topics.md shows it. Users read every
     * topic (get, describe, events, logs). A topic not listed is read by its owner and users only.
     */
    private static final Map<Topic, Set<Owner>> READERS = Map.ofEntries(
            Map.entry(COMMANDS, Set.of(Owner.CONTROLLER)),
            Map.entry(COMMAND_RESULTS, Set.of()),
            Map.entry(DEPLOYMENTS, Set.of(Owner.AUTOSCALER)),
            Map.entry(PODS, Set.of(Owner.SCHEDULER, Owner.AUTOSCALER)),
            Map.entry(NODES, Set.of(Owner.SCHEDULER, Owner.NODE_AGENT)),
            Map.entry(PLACEMENTS, Set.of(Owner.CONTROLLER, Owner.NODE_AGENT)),
            Map.entry(SCHEDULING, Set.of()),
            Map.entry(NODE_HEARTBEATS, Set.of(Owner.CONTROLLER, Owner.SCHEDULER)),
            Map.entry(POD_STATUS, Set.of(Owner.CONTROLLER, Owner.SCHEDULER, Owner.AUTOSCALER)),
            Map.entry(SERVICES, Set.of()),
            Map.entry(ENDPOINTS, Set.of(Owner.NODE_AGENT, Owner.PROXY)),
            Map.entry(PROXY_METRICS, Set.of(Owner.AUTOSCALER)),
            Map.entry(RESOURCE_METRICS, Set.of(Owner.AUTOSCALER)),
            Map.entry(AUTOSCALERS, Set.of(Owner.AUTOSCALER)),
            Map.entry(AUTOSCALER_STATUS, Set.of()),
            Map.entry(LOGS, Set.of()),
            // Pods will consume them through their node (env valueFrom, volumes): nobody else needs a Secret's value.
            Map.entry(CONFIG_MAPS, Set.of(Owner.NODE_AGENT)),
            Map.entry(SECRETS, Set.of(Owner.NODE_AGENT)),
            Map.entry(DEAD_LETTERS, Set.of()));

    /** The services that may write this topic: its owner; on berth.commands users and the autoscaler (it scales as a user would); on berth.dead-letters every service. */
    public Set<Owner> writers() {
        return switch (this) {
            case COMMANDS -> Set.of(Owner.USERS, Owner.AUTOSCALER);
            case DEAD_LETTERS -> Set.of(Owner.CONTROLLER, Owner.SCHEDULER, Owner.NODE_AGENT, Owner.PROXY, Owner.AUTOSCALER);
            default -> Set.of(owner);
        };
    }

    /** Who may read this topic: users, its owner (rebuilding from its own records) and the services that consume it. */
    public Set<Owner> readers() {
        Set<Owner> r = new java.util.TreeSet<>(READERS.getOrDefault(this, Set.of()));
        r.add(Owner.USERS);
        if (owner != Owner.ANY_CONSUMER) r.add(owner); // dead letters are for people, never consumed by services
        return java.util.Collections.unmodifiableSet(r);
    }

    /**
     * Whether consumers check this topic's record keys against {@link #keyOf}: the topics a node's own
     * principal writes (its agent's, its proxy's). ACLs let every node write them and cannot see keys, so
     * the door ({@code ServiceLoop.admit}) sets aside a record keyed for another node or pod than its
     * payload names; docs/security.md says what that does not stop.
     */
    public boolean keyChecked() {
        return this != DEAD_LETTERS && (writers().contains(Owner.NODE_AGENT) || writers().contains(Owner.PROXY));
    }

    /** The key every step records under on berth.scheduling. */
    public static final String SCHEDULER_KEY = "scheduler";

    /** Whether this topic is compacted: a key's last record is its state, a null value (tombstone) removes it. */
    public boolean compacted() { return cleanup == Cleanup.COMPACT; }

    /** Whether a record of this payload type belongs on this topic (a type elsewhere is set aside). */
    public boolean carries(Class<? extends Payload> type) {
        for (Class<? extends Payload> c : CARRIES.getOrDefault(this, List.of())) if (c.isAssignableFrom(type)) return true;
        return false;
    }

    public boolean carries(Payload payload) { return carries(payload.getClass()); }

    /** The payload types, or families of them, this topic carries; empty for berth.dead-letters. */
    public List<Class<? extends Payload>> payloads() { return CARRIES.getOrDefault(this, List.of()); }

    /** The one topic a payload of this type goes to. */
    public static Topic of(Payload payload) {
        for (Topic t : values()) if (t.carries(payload)) return t;
        throw new IllegalArgumentException("no topic carries " + payload.getClass().getSimpleName());
    }

    /**
     * The record key of {@code payload} on this topic: what orders it. Placements are keyed by node (a
     * node reads its bindings and releases in order), everything else about a pod by the pod.
     */
    public String keyOf(Payload payload) {
        if (!carries(payload)) throw new IllegalArgumentException(topicName + " does not carry " + payload.getClass().getSimpleName());
        if (payload instanceof Command c) return c.target();
        if (payload instanceof CommandResult r) return r.commandId();
        if (payload instanceof DeploymentEvent d) return d.key();
        if (payload instanceof NamespaceEvent n) return n.name();
        if (payload instanceof ServiceEvent e) return e.key();
        if (payload instanceof ConfigMapEvent e) return e.key();
        if (payload instanceof SecretEvent e) return e.key();
        if (payload instanceof Endpoints e) return e.key();
        if (payload instanceof ProxyMetrics m) return m.node();
        if (payload instanceof NodeMetrics m) return m.node();
        if (payload instanceof ContainerLogs l) return l.pod();
        if (payload instanceof HorizontalPodAutoscalerEvent e) return e.key();
        if (payload instanceof HorizontalPodAutoscalerStatus s) return s.key();
        if (payload instanceof JobEvent e) return e.key();
        if (payload instanceof PodPlaced p) return p.node();
        if (payload instanceof PodReleased r) return r.node();
        if (payload instanceof PodEvent p) return p.pod();
        if (payload instanceof NodeEvent n) return n.node();
        return SCHEDULER_KEY; // SchedulingStep, the only other payload this catalogue carries
    }

    public static Topic byName(String topicName) {
        for (Topic t : values()) {
            if (t.topicName.equals(topicName)) return t;
        }
        throw new IllegalArgumentException("not a Berth topic: " + topicName);
    }
}
