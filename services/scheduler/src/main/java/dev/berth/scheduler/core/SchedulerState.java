package dev.berth.scheduler.core;

import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.ContainerImage;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.Taint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the scheduler knows: nodes (from heartbeats), their status as the controller published it
 * (Ready/NotReady, cordoned), bound pods and pending pods (from its own events and the pod
 * intents), and per-node allocations and per-deployment replica counts kept incrementally. Mutable,
 * owned by one thread, and changed only by {@link Appliers}, so folding the log rebuilds exactly this.
 */
public final class SchedulerState {

    /** A node as its last heartbeat described it. */
    public record Node(String name, NodeResources capacity, Instant lastHeartbeat, Instant startedAt,
                       Map<String, String> labels, List<Taint> taints, Map<String, Long> images) {
        public Node {
            labels = labels == null ? Map.of() : Map.copyOf(labels); // no copy when the heartbeat's already is one
            taints = taints == null ? List.of() : List.copyOf(taints);
            images = images == null ? Map.of() : Map.copyOf(images);
        }

        /** A node without images reported. */
        public Node(String name, NodeResources capacity, Instant lastHeartbeat, Instant startedAt,
                    Map<String, String> labels, List<Taint> taints) {
            this(name, capacity, lastHeartbeat, startedAt, labels, taints, null);
        }

        /** A node without labels or taints. */
        public Node(String name, NodeResources capacity, Instant lastHeartbeat, Instant startedAt) {
            this(name, capacity, lastHeartbeat, startedAt, null, null, null);
        }

        /** The node as {@code hb} describes it, last heard from at {@code lastHeartbeat}. */
        public static Node of(NodeHeartbeat hb, Instant lastHeartbeat) {
            return new Node(hb.node(), hb.capacity(), lastHeartbeat, hb.startedAt(), hb.labels(), hb.taints(), images(hb));
        }

        /** Each name of each image the heartbeat lists, with the image's size (ImageLocality's input). */
        static Map<String, Long> images(NodeHeartbeat hb) {
            if (hb.containerImages().isEmpty()) return Map.of();
            Map<String, Long> out = new HashMap<>();
            for (ContainerImage i : hb.containerImages()) for (String name : i.names()) out.put(name, i.sizeBytes());
            return out;
        }

        /** Whether a placement could come out differently on {@code other} than on this: capacity, labels or taints. */
        public boolean placementDiffers(Node other) {
            return !Objects.equals(capacity, other.capacity) || !labels.equals(other.labels) || !taints.equals(other.taints);
        }
    }

    /** A node's status from the controller's latest NodeStatusChanged. */
    public record NodeStatus(NodeCondition condition, boolean cordoned) {}

    /**
     * A pod this scheduler bound to a node.
     *
     * @param holdsCapacity false once the pod ended for good: its reservation is free again
     * @param releaseReason why a release is due (the pod's deletion or loss was seen); null while none is
     */
    public record Binding(String pod, String node, Resources requested, String deployment, PodTemplate template,
                          boolean holdsCapacity, String releaseReason) {
        Binding freed() { return new Binding(pod, node, requested, deployment, template, false, releaseReason); }

        Binding dueForRelease(String reason) { return new Binding(pod, node, requested, deployment, template, holdsCapacity, reason); }

        public boolean releaseDue() { return releaseReason != null; }
    }

    /** A pod waiting for a node; {@code lastMessage} is the last unschedulable message published for it. */
    public record PendingPod(PodCreated created, String lastMessage) {
        public String pod() { return created.pod(); }
    }

    /**
     * What bound pods reserve on one node ({@code used}, their requests), what they count as for scoring
     * ({@code scored}: cpu and memory, pods without requests at the scheduler's non-zero defaults), and the host
     * ports their containers publish ("port/protocol", each with how many bound pods hold it) for the NodePorts filter.
     */
    public record Allocation(Resources used, int pods, Resources scored, Map<String, Integer> hostPorts) {
        public static final Allocation NONE = new Allocation(Resources.ZERO, 0, Resources.ZERO, null);

        public Allocation {
            scored = scored == null ? new Resources(used.cpuMillis(), used.memoryBytes()) : scored;
            hostPorts = hostPorts == null ? Map.of() : Map.copyOf(hostPorts);
        }

        /** Pods that all set their cpu and memory and publish no host port: they count for scoring as they reserve. */
        public Allocation(Resources used, int pods) {
            this(used, pods, null, null);
        }

        Allocation plus(Binding b) {
            List<String> ports = SchedulerState.hostPorts(b.template());
            Map<String, Integer> m = hostPorts;
            if (!ports.isEmpty()) {
                m = new HashMap<>(hostPorts);
                for (String p : ports) m.merge(p, 1, Integer::sum);
            }
            return new Allocation(used.plus(b.requested()), pods + 1, scored.plus(scoredOf(b)), m);
        }

        Allocation minus(Binding b) {
            List<String> ports = SchedulerState.hostPorts(b.template());
            Map<String, Integer> m = hostPorts;
            if (!ports.isEmpty()) {
                m = new HashMap<>(hostPorts);
                for (String p : ports) m.computeIfPresent(p, (k, n) -> n > 1 ? n - 1 : null);
            }
            return new Allocation(used.minus(b.requested()), pods - 1, scored.minus(scoredOf(b)), m);
        }

        /** A binding without a template (none from the log has one) counts as it reserves. */
        private static Resources scoredOf(Binding b) {
            if (b.template() != null) return PodRequest.scored(b.template());
            return new Resources(b.requested().cpuMillis(), b.requested().memoryBytes());
        }
    }

    /** The host ports a pod's template publishes, as "port/protocol" (Kubernetes' NodePorts compares these). */
    public static List<String> hostPorts(PodTemplate t) {
        if (t == null || t.ports().isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (var p : t.ports()) if (p != null && p.hostPort() > 0) out.add(p.hostPort() + "/" + p.protocol());
        return out;
    }

    /** A comparable copy of everything the state holds (pending in name order). */
    public record Snapshot(Map<String, Node> nodes, Map<String, NodeStatus> statuses, Map<String, Binding> bindings,
                           List<PendingPod> pending, Map<String, Allocation> allocations) {}

    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final Map<String, NodeStatus> statuses = new HashMap<>();
    private final Map<String, Binding> bindings = new HashMap<>();
    /**
     * Pending pods in name order, not arrival order: the order they are retried in then depends only on
     * which pods are pending, never on how input partitions interleaved, so replay reproduces it.
     */
    private final TreeMap<String, PendingPod> pending = new TreeMap<>();
    private final Map<String, Allocation> allocations = new HashMap<>();
    /** Bound pods whose release is due, by name. */
    private final TreeSet<String> releasesDue = new TreeSet<>();
    private final ReplicaCounts replicas = new ReplicaCounts();
    /** How many known nodes list each image name (Kubernetes' ImageStateSummary.NumNodes), kept as heartbeats change. */
    private final Map<String, Integer> imageNodes = new HashMap<>();
    /**
     * Every known node as the plugins see it, kept current by the changes below (Kubernetes' node
     * info cache): a scheduling pass reads views instead of building one per node per pod.
     */
    private final Map<String, NodeView> views = new HashMap<>();
    /** {@link #views} in node-name order, for scans; rebuilt only after a node was added. */
    private NodeView[] viewsInOrder = new NodeView[0];
    private final Map<String, Integer> orderIndex = new HashMap<>();
    private boolean orderStale;

    // ---- reads

    public Node node(String name) { return nodes.get(name); }

    /** The controller's latest status of the node; null when it published none. */
    public NodeStatus status(String node) { return statuses.get(node); }

    public Binding binding(String pod) { return bindings.get(pod); }

    public PendingPod pending(String pod) { return pending.get(pod); }

    public boolean isKnown(String pod) { return pending.containsKey(pod) || bindings.containsKey(pod); }

    public int pendingCount() { return pending.size(); }

    /** Pending pods, oldest first: the order retries go in. */
    public List<PendingPod> pendingInOrder() { return List.copyOf(pending.values()); }

    /** The names of the pending pods, in order; a live view. */
    public Set<String> pendingNames() { return Collections.unmodifiableSet(pending.keySet()); }

    /** Bound pods whose deletion or loss was seen but whose release is not applied yet, by pod name. */
    public List<Binding> releasesDue() {
        if (releasesDue.isEmpty()) return List.of();
        List<Binding> due = new ArrayList<>(releasesDue.size());
        for (String pod : releasesDue) due.add(bindings.get(pod));
        return due;
    }

    public List<Binding> bindings() { return List.copyOf(bindings.values()); }

    public Allocation allocation(String node) { return allocations.getOrDefault(node, Allocation.NONE); }

    /** Where the deployment's pods that hold capacity are, by node and zone (for spreading replicas). */
    public ReplicaCounts.Spread replicaSpread(String deployment) { return replicas.of(deployment); }

    /** How many known nodes have the image (by any of its names). */
    public int nodesWithImage(String image) { return imageNodes.getOrDefault(image, 0); }

    /** How many nodes have sent a heartbeat. */
    public int nodeCount() { return nodes.size(); }

    /** Every node that has sent a heartbeat, by name. */
    public List<NodeView> nodeViews() { return List.of(viewsInNameOrder()); }

    /** The node as the plugins see it now. */
    public NodeView view(Node n) { return views.get(n.name()); }

    /** Every known node's view in name order; the caller must not change the array. */
    NodeView[] viewsInNameOrder() {
        if (orderStale) {
            viewsInOrder = new NodeView[nodes.size()];
            int i = 0;
            for (String name : nodes.keySet()) {
                orderIndex.put(name, i);
                viewsInOrder[i++] = views.get(name);
            }
            orderStale = false;
        }
        return viewsInOrder;
    }

    /** Nodes new pods may go to now: ready and not cordoned. */
    public int schedulableNodeCount(Instant now, Duration staleness) {
        int schedulable = 0;
        for (NodeView v : views.values()) if (v.isSchedulable(now, staleness)) schedulable++;
        return schedulable;
    }

    public Snapshot snapshot() {
        return new Snapshot(new TreeMap<>(nodes), new TreeMap<>(statuses), new TreeMap<>(bindings),
                List.copyOf(pending.values()), new TreeMap<>(allocations));
    }

    // ---- changes, for Appliers only

    void putNode(Node node) {
        Node old = nodes.put(node.name(), node);
        String before = old == null ? null : NodeView.zoneOf(old.labels());
        String after = NodeView.zoneOf(node.labels());
        if (!Objects.equals(before, after)) replicas.rezone(node.name(), before, after);
        Map<String, Long> oldImages = old == null ? Map.of() : old.images();
        if (!oldImages.keySet().equals(node.images().keySet())) {
            for (String i : oldImages.keySet()) if (!node.images().containsKey(i)) imageNodes.merge(i, -1, (a, b) -> a + b == 0 ? null : a + b);
            for (String i : node.images().keySet()) if (!oldImages.containsKey(i)) imageNodes.merge(i, 1, Integer::sum);
        }
        if (old == null) orderStale = true;
        refreshView(node.name());
    }

    void putStatus(String node, NodeStatus status) {
        statuses.put(node, status);
        refreshView(node);
    }

    void addPending(PendingPod pod) { pending.put(pod.pod(), pod); }

    void replacePending(PendingPod pod) { pending.replace(pod.pod(), pod); }

    void removePending(String pod) { pending.remove(pod); }

    void bind(Binding b) {
        bindings.put(b.pod(), b);
        markRelease(b);
        if (!b.holdsCapacity()) return;
        allocations.merge(b.node(), Allocation.NONE.plus(b), (old, add) -> old.plus(b));
        replicas.add(b.deployment(), b.node(), zoneOf(b.node()), 1);
        refreshView(b.node());
    }

    void unbind(String pod) {
        Binding b = bindings.remove(pod);
        releasesDue.remove(pod);
        if (b != null && b.holdsCapacity()) release(b);
    }

    void replaceBinding(Binding b) {
        Binding old = bindings.put(b.pod(), b);
        markRelease(b);
        if (old != null && old.holdsCapacity() && !b.holdsCapacity()) release(old);
    }

    private void release(Binding b) {
        Allocation left = allocation(b.node()).minus(b);
        if (left.pods() <= 0) allocations.remove(b.node());
        else allocations.put(b.node(), left);
        replicas.add(b.deployment(), b.node(), zoneOf(b.node()), -1);
        refreshView(b.node());
    }

    private void markRelease(Binding b) {
        if (b.releaseDue()) releasesDue.add(b.pod());
        else releasesDue.remove(b.pod());
    }

    /** Rebuilds the node's view after its heartbeat, status or allocation changed; nothing for a node not heard from yet. */
    private void refreshView(String name) {
        Node n = nodes.get(name);
        if (n == null) return;
        Allocation a = allocation(name);
        NodeStatus s = statuses.get(name);
        NodeView v = new NodeView(name, n.capacity(), a.used(), a.pods(), n.lastHeartbeat(), n.startedAt(),
                s == null ? null : s.condition(), s != null && s.cordoned(), n.labels(), n.taints(), n.images(), a.scored(), a.hostPorts().keySet());
        views.put(name, v);
        Integer at = orderIndex.get(name);
        if (at != null && !orderStale) viewsInOrder[at] = v;
    }

    /** The zone of a known node; null for a node without a zone label or not heard from yet (its heartbeat rezones it). */
    private String zoneOf(String node) {
        Node n = nodes.get(node);
        return n == null ? null : NodeView.zoneOf(n.labels());
    }
}
