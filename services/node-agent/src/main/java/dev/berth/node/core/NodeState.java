package dev.berth.node.core;

import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.node.image.PullBackoff;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A node's state: the pods placed on it (desired, from berth.placements), what its runtime really
 * runs (actual), the status last reported for each container (what {@link NodeCore#statusReport} sends
 * again), how it backs off restarts, the image pulls that failed (retried with their own back-off, as
 * the kubelet does), its running containers' readiness probes ({@link Readiness}) and liveness and startup probes ({@link Health}), and what its loop still owes ({@link Pending}: causes, queued starts).
 * Immutable: every change returns a new state.
 */
public record NodeState(String node, RestartBackoff backoff, Map<String, PodPlaced> desired, Map<String, PodRuntime> actual,
                        Map<String, PodStatusChanged> reported, Pending pending, PullBackoff pulls, PodNetworkState network,
                        Readiness readiness, Health health, Set<String> refused) {

    /** At most this many refused pod names are kept (a forger can invent names without end); the oldest go first. */
    public static final int REFUSED_MAX = 1_024;

    public NodeState(String node, RestartBackoff backoff, Map<String, PodPlaced> desired, Map<String, PodRuntime> actual,
                     Map<String, PodStatusChanged> reported, Pending pending, PullBackoff pulls, PodNetworkState network,
                     Readiness readiness, Health health) {
        this(node, backoff, desired, actual, reported, pending, pulls, network, readiness, health, Set.of());
    }

    public NodeState(String node, RestartBackoff backoff, Map<String, PodPlaced> desired, Map<String, PodRuntime> actual,
                     Map<String, PodStatusChanged> reported, Pending pending, PullBackoff pulls, PodNetworkState network,
                     Readiness readiness) {
        this(node, backoff, desired, actual, reported, pending, pulls, network, readiness, Health.NONE);
    }

    public NodeState(String node, RestartBackoff backoff, Map<String, PodPlaced> desired, Map<String, PodRuntime> actual,
                     Map<String, PodStatusChanged> reported, Pending pending, PullBackoff pulls, PodNetworkState network) {
        this(node, backoff, desired, actual, reported, pending, pulls, network, Readiness.NONE);
    }

    public NodeState(String node, RestartBackoff backoff, Map<String, PodPlaced> desired, Map<String, PodRuntime> actual,
                     Map<String, PodStatusChanged> reported, Pending pending, PullBackoff pulls) {
        this(node, backoff, desired, actual, reported, pending, pulls, PodNetworkState.NONE);
    }

    public NodeState {
        // Sorted by pod name: decisions come out in the same order every time (replays, tests).
        desired = Frozen.of(desired);
        actual = Frozen.of(actual);
        reported = Frozen.of(reported);
        pulls = pulls == null ? PullBackoff.EMPTY : pulls;
        network = network == null ? PodNetworkState.NONE : network;
        readiness = readiness == null ? Readiness.NONE : readiness;
        health = health == null ? Health.NONE : health;
        refused = refused == null ? Set.of() : refused; // callers hand over sets no one changes
    }

    /**
     * A sorted map no one can change, which the next state shares instead of copying: a change copies
     * only the map it changes (hollow nodes run thousands of these cores in one JVM).
     */
    private static final class Frozen<V> extends AbstractMap<String, V> {
        private final TreeMap<String, V> map;

        private Frozen(TreeMap<String, V> map) { this.map = map; }

        static <V> Map<String, V> of(Map<String, V> m) {
            return m instanceof Frozen<V> f ? f : new Frozen<>(new TreeMap<>(m));
        }

        /** Takes {@code owned}, which its caller made and no longer touches. */
        static <V> Map<String, V> owning(TreeMap<String, V> owned) { return new Frozen<>(owned); }

        @Override public Set<Entry<String, V>> entrySet() { return Collections.unmodifiableMap(map).entrySet(); }
        @Override public V get(Object key) { return map.get(key); }
        @Override public boolean containsKey(Object key) { return map.containsKey(key); }
        @Override public int size() { return map.size(); }
        @Override public Set<String> keySet() { return Collections.unmodifiableSet(map.keySet()); }
        @Override public Collection<V> values() { return Collections.unmodifiableCollection(map.values()); }

        java.util.SortedMap<String, V> sorted() { return Collections.unmodifiableSortedMap(map); }
    }

    /** {@link #actual} in id order, for the runtime containers of one pod ({@link PodContainers#of}). */
    java.util.SortedMap<String, PodRuntime> actualSorted() { return ((Frozen<PodRuntime>) actual).sorted(); }

    /** The placement of the pod a runtime container belongs to; null when it is not placed here. */
    public PodPlaced placementOf(String id) { return desired.get(PodContainers.podOf(id)); }

    public static NodeState empty(String node, RestartBackoff backoff) {
        return new NodeState(node, backoff, Map.of(), Map.of(), Map.of(), Pending.UNLIMITED, PullBackoff.EMPTY);
    }

    /** At most {@code slots} starts run at once; more wait in {@link Pending#queued()}. */
    public NodeState withStartSlots(int slots) {
        return withPending(new Pending(pending.causes(), pending.queued(), pending.launching(), slots, pending.shuttingDown()));
    }

    NodeState withPending(Pending p) {
        return new NodeState(node, backoff, desired, actual, reported, p, pulls, network, readiness, health, refused);
    }

    public static NodeState empty(String node) { return empty(node, RestartBackoff.DEV_DEFAULTS); }

    NodeState withDesired(String pod, PodPlaced placement) {
        TreeMap<String, PodPlaced> d = new TreeMap<>(desired);
        if (placement == null) d.remove(pod); else d.put(pod, placement);
        return new NodeState(node, backoff, Frozen.owning(d), actual, reported, pending, pulls, network, readiness, health, refused);
    }

    NodeState withActual(String pod, PodRuntime runtime) {
        TreeMap<String, PodRuntime> a = new TreeMap<>(actual);
        if (runtime == null) a.remove(pod); else a.put(pod, runtime);
        return new NodeState(node, backoff, desired, Frozen.owning(a), reported, pending, pulls, network, readiness, health, refused);
    }

    /** The statuses just reported, in order; a container no longer known has nothing to report again. */
    NodeState withReported(List<PodStatusChanged> statuses) {
        TreeMap<String, PodStatusChanged> r = new TreeMap<>(reported);
        for (PodStatusChanged status : statuses) {
            if (PodContainers.hasAny(this, status.pod())) r.put(status.pod(), status); else r.remove(status.pod());
        }
        return new NodeState(node, backoff, desired, actual, Frozen.owning(r), pending, pulls, network, readiness, health, refused);
    }

    NodeState withReadiness(Readiness r) {
        return r == readiness ? this : new NodeState(node, backoff, desired, actual, reported, pending, pulls, network, r, health, refused);
    }

    NodeState withHealth(Health h) {
        return h == health ? this : new NodeState(node, backoff, desired, actual, reported, pending, pulls, network, readiness, h, refused);
    }

    NodeState withPulls(PullBackoff p) {
        return p == pulls ? this : new NodeState(node, backoff, desired, actual, reported, pending, p, network, readiness, health, refused);
    }

    NodeState withNetwork(PodNetworkState n) {
        return n == network ? this : new NodeState(node, backoff, desired, actual, reported, pending, pulls, n, readiness, health, refused);
    }

    /** Pods wait for the node's pod CIDR (real nodes with the generated CNI config); see {@link PodNetworkState}. */
    public NodeState waitingForPodCidr(boolean waits) {
        return withNetwork(new PodNetworkState(network.podCidr(), waits, network.podIPs()));
    }

    /** The node's pod CIDR, as its status on berth.nodes says. */
    public NodeState withPodCidr(String cidr) {
        return java.util.Objects.equals(cidr, network.podCidr()) ? this : withNetwork(network.withPodCidr(cidr));
    }

    NodeState withPodIP(String pod, String ip) { return withNetwork(network.withPodIP(pod, ip)); }

    /** The back-off key of a pod's sandbox (its network): beside its image pulls', forgotten with them. */
    static String sandboxKey(String pod) {
        return pod + "/#sandbox";
    }

    /** The pull back-off key of a pod's image: per pod and image, as the kubelet keys it. */
    static String pullKey(String pod, String image) {
        return pod + "/" + image;
    }

    /**
     * The controller found {@code pod} here without having created it: it is no longer desired, and a
     * placement of that name is refused from now on (the forged record stays in the log a restart reads).
     */
    NodeState refuse(String pod) {
        if (refused.contains(pod)) return withDesired(pod, null);
        java.util.LinkedHashSet<String> r = new java.util.LinkedHashSet<>(refused);
        r.add(pod);
        while (r.size() > REFUSED_MAX) r.remove(r.iterator().next());
        NodeState next = withDesired(pod, null);
        return new NodeState(node, backoff, next.desired, actual, reported, pending, pulls, network, readiness, health, Collections.unmodifiableSet(r));
    }

    /**
     * The restart policy of a runtime container while its pod is placed here; a pod no longer placed here is never
     * restarted. An init container that completed is done: under Always it restarts only on failure (Kubernetes).
     */
    RestartPolicy policy(String id) {
        PodPlaced p = placementOf(id);
        if (p == null) return RestartPolicy.Never;
        RestartPolicy policy = RestartPolicy.of(p.template().restartPolicy());
        return policy == RestartPolicy.Always && PodContainers.isInit(id, p.template()) ? RestartPolicy.OnFailure : policy;
    }

    /** The container a runtime id runs while its pod is placed here; null otherwise. */
    dev.berth.bus.contract.Container containerOf(String id) {
        PodPlaced p = placementOf(id);
        return p == null ? null : PodContainers.containerOf(id, p.template());
    }
}
