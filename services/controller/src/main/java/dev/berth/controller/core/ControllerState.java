package dev.berth.controller.core;

import dev.berth.bus.Cause;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.ConfigMapSpec;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.SecretSpec;
import dev.berth.bus.contract.Namespaces;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Consumer;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.PSortedSet;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * Everything the controller knows, immutable. It changes only through {@link EventAppliers}, so
 * folding the controller's own events (and the node reports it read) from the log rebuilds it.
 *
 * <p>The maps are persistent (pcollections): a changed state shares all but O(log n) of its
 * predecessor, so applying one event costs the same with 100,000 pods as with ten, and a decision the
 * shell drops (its publish failed) leaves the previous state intact.
 *
 * <p>Two indexes, derived from the pods and kept in step by {@link Builder}, answer "pods of a
 * deployment" and "pods on a node" without walking every pod. They take no part in equality.
 */
public final class ControllerState {

    /** Orders a deployment's pods oldest first. */
    private record PodKey(long serial, String name) {
        static final Comparator<PodKey> OLDEST_FIRST = Comparator.comparingLong(PodKey::serial).thenComparing(PodKey::name);

        static PodKey of(PodRecord pod) { return new PodKey(pod.serial(), pod.name()); }
    }

    private static final PSortedSet<PodKey> NO_POD_KEYS = TreePSet.empty(PodKey.OLDEST_FIRST);
    private static final PSortedSet<String> NO_NAMES = TreePSet.empty();
    private static final ControllerState EMPTY = new ControllerState(TreePMap.empty(), HashTreePMap.empty(), TreePMap.empty(),
            TreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(),
            TreePMap.empty(), TreePMap.empty(), ClusterIpAllocator.defaults(), NodePortAllocator.defaults(), HashTreePMap.empty(), TreePMap.empty(),
            TreePMap.empty(), TreePMap.empty(), TreePMap.empty(), PodSightings.NONE);
    private static final NamespaceRecord DEFAULT_NAMESPACE = new NamespaceRecord(Namespaces.DEFAULT, false);

    /**
     * Desired state by deployment key (deleted ones are removed): the bare name in default,
     * namespace/name elsewhere ({@link Namespaces#key}), so one namespace's deployments sort together.
     * Every other per-deployment map and index below uses the same key.
     */
    private final PSortedMap<String, DeploymentRecord> deployments;
    /** Namespaces users created, by name, until nothing of a deleted one is left; default is never in it (it always exists). */
    private final PSortedMap<String, NamespaceRecord> namespaces;
    /** Pods by name, until their node reports them stopped after deletion was requested. */
    private final PMap<String, PodRecord> pods;
    /** Every image some node advertised, with when it was last seen. */
    private final PSortedMap<String, Instant> images;
    /** Nodes by name, from their heartbeats and the statuses the controller published. */
    private final PSortedMap<String, NodeRecord> nodes;
    /** Per deployment key, the serial the next pod gets; kept after deletion so names never repeat. */
    private final PMap<String, Long> podSerials;
    /** Accepted commands by command id: a re-delivered command gets the same answer. */
    private final PMap<String, CommandAccepted> accepted;
    /** Index: per deployment with pods, their keys oldest first. */
    private final PMap<String, PSortedSet<PodKey>> podsByDeployment;
    /** Index: per node with pods, the names of the pods placed on or reported by it. */
    private final PMap<String, PSortedSet<String>> podsByNode;
    /**
     * Per deployment key (kept after deletion), what the pod events it leads to answer: the command
     * chain and the deployment event that last changed it. Bookkeeping about the log, no fact: it
     * takes no part in equality.
     */
    private final PMap<String, Cause> causes;
    /** Services by key ({@link Namespaces#key}), as accepted (allocations filled in). */
    private final PSortedMap<String, ServiceRecord> services;
    /** Cluster IPs and nodePorts the Services hold: derived from them, so no part of equality. */
    private final ClusterIpAllocator clusterIps;
    private final NodePortAllocator nodePorts;
    /**
     * Per Service key, the Endpoints record last published on berth.endpoints; removed with its tombstone.
     * Bookkeeping about the log that a rebuild does not restore (the start-up resync publishes them all): no part of equality.
     */
    private final PMap<String, Endpoints> endpoints;
    /** HorizontalPodAutoscalers by key ({@link Namespaces#key}), as accepted (Kubernetes' defaults filled in). */
    private final PSortedMap<String, HorizontalPodAutoscalerSpec> autoscalers;
    /** ConfigMaps and Secrets by key ({@link Namespaces#key}), as accepted. */
    private final PSortedMap<String, ConfigMapSpec> configMaps;
    private final PSortedMap<String, SecretSpec> secrets;
    /** Jobs by key ({@link Namespaces#key}); their pods are indexed under {@link JobRecord#ownerKey}. */
    private final PSortedMap<String, JobRecord> jobs;
    /** Pods let go of and intruders flagged ({@link Intruders}): derived from the same events, bookkeeping, no part of equality. */
    private final PodSightings sightings;

    private ControllerState(PSortedMap<String, DeploymentRecord> deployments, PMap<String, PodRecord> pods,
                            PSortedMap<String, Instant> images, PSortedMap<String, NodeRecord> nodes, PMap<String, Long> podSerials,
                            PMap<String, CommandAccepted> accepted, PMap<String, PSortedSet<PodKey>> podsByDeployment,
                            PMap<String, PSortedSet<String>> podsByNode, PMap<String, Cause> causes,
                            PSortedMap<String, NamespaceRecord> namespaces, PSortedMap<String, ServiceRecord> services,
                            ClusterIpAllocator clusterIps, NodePortAllocator nodePorts, PMap<String, Endpoints> endpoints,
                            PSortedMap<String, HorizontalPodAutoscalerSpec> autoscalers,
                            PSortedMap<String, ConfigMapSpec> configMaps, PSortedMap<String, SecretSpec> secrets,
                            PSortedMap<String, JobRecord> jobs, PodSightings sightings) {
        this.sightings = sightings;
        this.autoscalers = autoscalers;
        this.configMaps = configMaps;
        this.secrets = secrets;
        this.jobs = jobs;
        this.services = services;
        this.clusterIps = clusterIps;
        this.nodePorts = nodePorts;
        this.endpoints = endpoints;
        this.deployments = deployments;
        this.namespaces = namespaces;
        this.pods = pods;
        this.images = images;
        this.nodes = nodes;
        this.podSerials = podSerials;
        this.accepted = accepted;
        this.podsByDeployment = podsByDeployment;
        this.podsByNode = podsByNode;
        this.causes = causes;
    }

    public static ControllerState empty() { return EMPTY; }

    /** No state, with Services' addresses taken from these (empty) allocators: the service CIDR and nodePort range. */
    public static ControllerState empty(ClusterIpAllocator clusterIps, NodePortAllocator nodePorts) {
        return EMPTY.with(b -> {
            b.clusterIps = clusterIps;
            b.nodePorts = nodePorts;
        });
    }

    /** Services by key ({@link Namespaces#key}), sorted. */
    public SortedMap<String, ServiceRecord> services() { return services; }

    public Optional<ServiceRecord> service(String key) { return Optional.ofNullable(key == null ? null : services.get(key)); }

    /** The Services of a namespace, by name. */
    public List<ServiceRecord> servicesIn(String namespace) { return new ArrayList<>(inNamespace(services, namespace).values()); }

    public ClusterIpAllocator clusterIps() { return clusterIps; }

    public Optional<ConfigMapSpec> configMap(String key) { return Optional.ofNullable(configMaps.get(key)); }

    public List<ConfigMapSpec> configMapsIn(String namespace) { return new ArrayList<>(inNamespace(configMaps, namespace).values()); }

    public Optional<SecretSpec> secret(String key) { return Optional.ofNullable(secrets.get(key)); }

    public List<SecretSpec> secretsIn(String namespace) { return new ArrayList<>(inNamespace(secrets, namespace).values()); }

    /** HorizontalPodAutoscalers by key ({@link Namespaces#key}), sorted. */
    public SortedMap<String, HorizontalPodAutoscalerSpec> autoscalers() { return autoscalers; }

    public Optional<HorizontalPodAutoscalerSpec> autoscaler(String key) { return Optional.ofNullable(key == null ? null : autoscalers.get(key)); }

    /** The autoscalers of a namespace, by name. */
    public List<HorizontalPodAutoscalerSpec> autoscalersIn(String namespace) { return new ArrayList<>(inNamespace(autoscalers, namespace).values()); }

    public NodePortAllocator nodePorts() { return nodePorts; }

    /** Jobs by key ({@link Namespaces#key}), sorted. */
    public SortedMap<String, JobRecord> jobs() { return jobs; }

    public Optional<JobRecord> job(String key) { return Optional.ofNullable(key == null ? null : jobs.get(key)); }

    public Optional<JobRecord> job(String namespace, String name) { return job(Namespaces.key(namespace, name)); }

    /** The Jobs of a namespace, by name. */
    public List<JobRecord> jobsIn(String namespace) { return new ArrayList<>(inNamespace(jobs, namespace).values()); }

    /** The Endpoints records last published, by Service key. */
    public Map<String, Endpoints> publishedEndpoints() { return endpoints; }

    /** Pods of a namespace (walks every pod: the endpoints reconciler's need, a Service per namespace at a time). */
    public List<PodRecord> podsIn(String namespace) {
        List<PodRecord> result = new ArrayList<>();
        for (PodRecord p : pods.values()) if (p.namespace().equals(namespace)) result.add(p);
        result.sort(Comparator.comparing(PodRecord::name));
        return result;
    }

    /** Deployments by key ({@link Namespaces#key}), sorted. */
    public SortedMap<String, DeploymentRecord> deployments() { return deployments; }

    /** The deployment with this key ({@link Namespaces#key}: the bare name is one in default). */
    public Optional<DeploymentRecord> deployment(String key) { return Optional.ofNullable(key == null ? null : deployments.get(key)); }

    public Optional<DeploymentRecord> deployment(String namespace, String name) { return deployment(Namespaces.key(namespace, name)); }

    /** The deployments of a namespace, by name. */
    public List<DeploymentRecord> deploymentsIn(String namespace) { return new ArrayList<>(inNamespace(deployments, namespace).values()); }

    /** The namespace, or empty when it does not exist; default always does. A terminating one exists until nothing of it is left. */
    public Optional<NamespaceRecord> namespace(String name) {
        if (Namespaces.DEFAULT.equals(name)) return Optional.of(DEFAULT_NAMESPACE);
        return Optional.ofNullable(name == null ? null : namespaces.get(name));
    }

    /** Every namespace, default included, by name. */
    public SortedMap<String, NamespaceRecord> namespaces() { return namespaces.plus(Namespaces.DEFAULT, DEFAULT_NAMESPACE); }

    /** The entries of a map by deployment key that belong to {@code namespace}: default's keys have no '/'. */
    private static <V> SortedMap<String, V> inNamespace(PSortedMap<String, V> byKey, String namespace) {
        if (Namespaces.DEFAULT.equals(namespace)) {
            TreePMap<String, V> bare = TreePMap.empty();
            for (Map.Entry<String, V> e : byKey.entrySet()) if (e.getKey().indexOf('/') < 0) bare = bare.plus(e.getKey(), e.getValue());
            return bare;
        }
        // '0' follows '/': the keys "ns/..." are exactly those in [ns/, ns0).
        return byKey.subMap(namespace + "/", namespace + "0");
    }

    public Map<String, PodRecord> pods() { return pods; }

    public Optional<PodRecord> pod(String name) { return Optional.ofNullable(pods.get(name)); }

    public PodSightings sightings() { return sightings; }

    /** Pods of a deployment (by key), oldest first. */
    public List<PodRecord> podsOf(String deployment) {
        PSortedSet<PodKey> keys = podsByDeployment.getOrDefault(deployment, NO_POD_KEYS);
        List<PodRecord> result = new ArrayList<>(keys.size());
        for (PodKey key : keys) result.add(pods.get(key.name()));
        return result;
    }

    /** Pods of a deployment that are meant to keep running (deletion not requested), oldest first. */
    public List<PodRecord> livePodsOf(String deployment) {
        List<PodRecord> live = podsOf(deployment);
        live.removeIf(PodRecord::deletionRequested);
        return live;
    }

    /** Keys of the deployments that have pods, existing or deleted. */
    public Set<String> deploymentsWithPods() { return podsByDeployment.keySet(); }

    /** Nodes by name, sorted. */
    public SortedMap<String, NodeRecord> nodes() { return nodes; }

    public Optional<NodeRecord> node(String name) { return Optional.ofNullable(name == null ? null : nodes.get(name)); }

    /** Pods placed on or reported by {@code node}, by name. */
    public List<PodRecord> podsOn(String node) {
        PSortedSet<String> names = podsByNode.getOrDefault(node, NO_NAMES);
        List<PodRecord> result = new ArrayList<>(names.size());
        for (String name : names) result.add(pods.get(name));
        return result;
    }

    /** Names of the nodes that have pods (for tests of the index). */
    Set<String> nodesWithPods() { return podsByNode.keySet(); }

    public long nextSerial(String deployment) { return podSerials.getOrDefault(deployment, 0L); }

    /** Images with when some node last advertised them, sorted by name. */
    public SortedMap<String, Instant> images() { return images; }

    /** Images some node has advertised, sorted. */
    public SortedSet<String> knownImages() { return images.keySet(); }

    public Optional<CommandAccepted> acceptedCommand(String commandId) { return Optional.ofNullable(accepted.get(commandId)); }

    /** What pod events of {@code deployment} answer (its latest deployment event), or null (none known, or no deployment). */
    public Cause causeOf(String deployment) { return deployment == null ? null : causes.get(deployment); }

    /** This state with {@code cause} as what {@code deployment}'s pod events answer from now on. */
    public ControllerState withCause(String deployment, Cause cause) { return with(b -> b.cause(deployment, cause)); }

    /** A changed state; {@code change} may mutate only the builder it is given. Used by {@link EventAppliers}. */
    ControllerState with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The indexes are derived from the pods (the allocators from the Services), so equal facts make equal states. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ControllerState s && deployments.equals(s.deployments) && pods.equals(s.pods)
                && images.equals(s.images) && nodes.equals(s.nodes) && podSerials.equals(s.podSerials)
                && accepted.equals(s.accepted) && namespaces.equals(s.namespaces) && services.equals(s.services)
                && autoscalers.equals(s.autoscalers) && configMaps.equals(s.configMaps) && secrets.equals(s.secrets)
                && jobs.equals(s.jobs);
    }

    @Override
    public int hashCode() { return Objects.hash(deployments, pods, images, nodes, podSerials, accepted, namespaces, services, autoscalers,
            configMaps, secrets, jobs); }

    @Override
    public String toString() {
        return "ControllerState[namespaces=" + namespaces + ", deployments=" + deployments + ", pods=" + pods + ", images=" + images + ", nodes=" + nodes
                + ", podSerials=" + podSerials + ", accepted=" + accepted + ", services=" + services + ", endpoints=" + endpoints + ", autoscalers=" + autoscalers
                + ", configMaps=" + configMaps.keySet() + ", secrets=" + secrets.keySet() + ", jobs=" + jobs + "]";
    }

    /**
     * The state being changed by one step of appliers: each change replaces a persistent map by its
     * successor (nothing is copied); pod changes go through {@link #putPod}/{@link #removePod}, which
     * keep the indexes in step.
     */
    static final class Builder {
        private PSortedMap<String, DeploymentRecord> deployments;
        private PSortedMap<String, NamespaceRecord> namespaces;
        private PMap<String, PodRecord> pods;
        private PSortedMap<String, Instant> images;
        private PSortedMap<String, NodeRecord> nodes;
        private PMap<String, Long> podSerials;
        private PMap<String, CommandAccepted> accepted;
        private PMap<String, PSortedSet<PodKey>> podsByDeployment;
        private PMap<String, PSortedSet<String>> podsByNode;
        private PMap<String, Cause> causes;
        private PSortedMap<String, ServiceRecord> services;
        private ClusterIpAllocator clusterIps;
        private NodePortAllocator nodePorts;
        private PMap<String, Endpoints> endpoints;
        private PSortedMap<String, HorizontalPodAutoscalerSpec> autoscalers;
        private PSortedMap<String, ConfigMapSpec> configMaps;
        private PSortedMap<String, SecretSpec> secrets;
        private PSortedMap<String, JobRecord> jobs;
        private PodSightings sightings;

        private Builder(ControllerState s) {
            sightings = s.sightings;
            autoscalers = s.autoscalers;
            configMaps = s.configMaps;
            secrets = s.secrets;
            jobs = s.jobs;
            services = s.services;
            clusterIps = s.clusterIps;
            nodePorts = s.nodePorts;
            endpoints = s.endpoints;
            deployments = s.deployments;
            namespaces = s.namespaces;
            pods = s.pods;
            images = s.images;
            nodes = s.nodes;
            podSerials = s.podSerials;
            accepted = s.accepted;
            podsByDeployment = s.podsByDeployment;
            podsByNode = s.podsByNode;
            causes = s.causes;
        }

        void cause(String deployment, Cause cause) { causes = causes.plus(deployment, cause); }

        DeploymentRecord deployment(String key) { return deployments.get(key); }

        void putDeployment(DeploymentRecord d) { deployments = deployments.plus(d.key(), d); }

        void removeDeployment(String key) {
            deployments = deployments.minus(key);
            forgetIfEmpty(Namespaces.namespaceOf(key));
        }

        NamespaceRecord namespace(String name) { return namespaces.get(name); }

        ServiceRecord service(String key) { return services.get(key); }

        ClusterIpAllocator clusterIps() { return clusterIps; }

        NodePortAllocator nodePorts() { return nodePorts; }

        /** A Service with the allocators that hold its addresses. */
        void putService(ServiceRecord s, ClusterIpAllocator ips, NodePortAllocator ports) {
            services = services.plus(s.key(), s);
            clusterIps = ips;
            nodePorts = ports;
        }

        /** Removes a Service and frees its addresses. */
        void removeService(String key) {
            ServiceRecord s = services.get(key);
            if (s == null) return;
            services = services.minus(key);
            clusterIps = clusterIps.release(s.owner());
            nodePorts = nodePorts.release(s.owner());
        }

        void putAutoscaler(HorizontalPodAutoscalerSpec a) { autoscalers = autoscalers.plus(a.key(), a); }

        void removeAutoscaler(String key) { autoscalers = autoscalers.minus(key); }

        void putConfigMap(ConfigMapSpec m) { configMaps = configMaps.plus(m.key(), m); }

        void removeConfigMap(String key) { configMaps = configMaps.minus(key); }

        void putSecret(SecretSpec s) { secrets = secrets.plus(s.key(), s); }

        void removeSecret(String key) { secrets = secrets.minus(key); }

        JobRecord job(String key) { return jobs.get(key); }

        void putJob(JobRecord j) { jobs = jobs.plus(j.key(), j); }

        void removeJob(String key) {
            jobs = jobs.minus(key);
            forgetIfEmpty(Namespaces.namespaceOf(key));
        }

        void published(Endpoints e) { endpoints = endpoints.plus(e.key(), e); }

        void unpublished(String key) { endpoints = endpoints.minus(key); }

        void putNamespace(NamespaceRecord ns) {
            if (!Namespaces.DEFAULT.equals(ns.name())) namespaces = namespaces.plus(ns.name(), ns);
            forgetIfEmpty(ns.name());
        }

        /** A terminating namespace is gone once it has no deployments and no pods left. */
        private void forgetIfEmpty(String name) {
            NamespaceRecord ns = namespaces.get(name);
            if (ns == null || !ns.terminating()) return;
            if (!inNamespace(deployments, name).isEmpty() || !inNamespace(jobs, name).isEmpty()) return;
            for (String key : podsByDeployment.keySet()) if (Namespaces.namespaceOf(key).equals(name)) return;
            namespaces = namespaces.minus(name);
        }

        PodRecord pod(String name) { return pods.get(name); }

        /** Adds or replaces a pod. */
        void putPod(PodRecord pod) {
            PodRecord before = pods.get(pod.name());
            if (before == null) sightings = sightings.remember(pod.name());
            pods = pods.plus(pod.name(), pod);
            reindex(before, pod);
        }

        void removePod(String name) {
            PodRecord before = pods.get(name);
            if (before == null) return;
            pods = pods.minus(name);
            sightings = sightings.forget(name);
            reindex(before, null);
            forgetIfEmpty(before.namespace());
        }

        /** The serial for the deployment's (by key) next pod; the following one gets the next. */
        long takeSerial(String deployment) {
            long serial = podSerials.getOrDefault(deployment, 0L);
            podSerials = podSerials.plus(deployment, serial + 1);
            return serial;
        }

        PodSightings sightings() { return sightings; }

        void sightings(PodSightings next) { sightings = next; }

        NodeRecord node(String name) { return nodes.get(name); }

        void putNode(NodeRecord node) { nodes = nodes.plus(node.name(), node); }

        void imageSeen(String image, Instant at) { images = images.plus(image, at); }

        void accept(CommandAccepted accepted) { this.accepted = this.accepted.plus(accepted.commandId(), accepted); }

        /** Moves a pod's index entries from where {@code before} put them to where {@code after} does; either may be null. */
        private void reindex(PodRecord before, PodRecord after) {
            PodKey keyBefore = before == null ? null : PodKey.of(before);
            PodKey keyAfter = after == null ? null : PodKey.of(after);
            String deploymentBefore = before == null ? null : before.deploymentKey();
            String deploymentAfter = after == null ? null : after.deploymentKey();
            if (!Objects.equals(keyBefore, keyAfter) || !Objects.equals(deploymentBefore, deploymentAfter)) {
                if (before != null) podsByDeployment = without(podsByDeployment, deploymentBefore, keyBefore);
                if (after != null) podsByDeployment = with(podsByDeployment, deploymentAfter, keyAfter, NO_POD_KEYS);
            }
            String nodeBefore = before == null ? null : before.node();
            String nodeAfter = after == null ? null : after.node();
            if (!Objects.equals(nodeBefore, nodeAfter)) {
                if (nodeBefore != null) podsByNode = without(podsByNode, nodeBefore, before.name());
                if (nodeAfter != null) podsByNode = with(podsByNode, nodeAfter, after.name(), NO_NAMES);
            }
        }

        private static <E> PMap<String, PSortedSet<E>> with(PMap<String, PSortedSet<E>> index, String key, E element,
                                                            PSortedSet<E> none) {
            return index.plus(key, index.getOrDefault(key, none).plus(element));
        }

        /** An emptied entry is removed: the index holds only keys that have pods. */
        private static <E> PMap<String, PSortedSet<E>> without(PMap<String, PSortedSet<E>> index, String key, E element) {
            PSortedSet<E> left = index.get(key).minus(element);
            return left.isEmpty() ? index.minus(key) : index.plus(key, left);
        }

        ControllerState build() {
            return new ControllerState(deployments, pods, images, nodes, podSerials, accepted, podsByDeployment, podsByNode, causes,
                    namespaces, services, clusterIps, nodePorts, endpoints, autoscalers, configMaps, secrets, jobs, sightings);
        }
    }
}
