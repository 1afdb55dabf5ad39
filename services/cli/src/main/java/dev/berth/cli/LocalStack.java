package dev.berth.cli;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.BusConfig;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.bus.Topic.Owner;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.security.Acls;
import dev.berth.bus.security.BusAccounts;
import dev.berth.bus.security.BusAccounts.Account;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.node.NodeAgentOptions;
import dev.berth.node.NodeAgentVerticle;
import dev.berth.proxy.ProxyOptions;
import dev.berth.proxy.ProxyVerticle;
import dev.berth.node.PodNetworkSetup;
import dev.berth.node.network.IpForwarding;
import dev.berth.node.network.PortmapChains;
import dev.berth.node.runtime.RuncRuntime;
import dev.berth.autoscaler.AutoscalerOptions;
import dev.berth.autoscaler.AutoscalerVerticle;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerVerticle;
import dev.berth.scheduler.core.SchedulingPolicy;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Berth on one machine: a Kafka broker (embedded unless one is given), the controller, the
 * scheduler and N node agents, each a verticle in this JVM talking only through Kafka. A node's
 * agent can be stopped like a crashed kubelet and started again ({@link #stopNode}, {@link #startNode}).
 */
public final class LocalStack implements AutoCloseable {

    /**
     * @param bootstrapServers an external broker, or null to embed one
     * @param marks            labels, taints and extended resources of the nodes
     * @param policy           how the scheduler ranks nodes
     * @param nodePrefix       nodes are named PREFIX-1..PREFIX-N (also their cgroup parents /berth/PREFIX-i)
     * @param cniConfDir       the nodes' CNI config directory (--cni-conf-dir); null: each generates its own from its pod CIDR
     * @param cniBinDir        where the nodes look up CNI plugins (--cni-bin-dir); empty: /usr/lib/cni:/opt/cni/bin
     * @param allowPrivileged  the nodes run containers with securityContext.privileged (--allow-privileged); off: refused
     */
    public record Settings(String bootstrapServers, int kafkaPort, Path home, int nodes, NodeMarks marks, SchedulingPolicy policy,
                           String nodePrefix, Path registryConfig, Set<String> insecureRegistries, Path cniConfDir, List<Path> cniBinDir,
                           boolean allowPrivileged) {
        public Settings {
            insecureRegistries = insecureRegistries == null ? Set.of() : Set.copyOf(insecureRegistries);
            cniBinDir = cniBinDir == null ? List.of() : List.copyOf(cniBinDir);
        }

        public Settings(String bootstrapServers, int kafkaPort, Path home, int nodes, NodeMarks marks, SchedulingPolicy policy,
                        String nodePrefix, Path registryConfig, Set<String> insecureRegistries) {
            this(bootstrapServers, kafkaPort, home, nodes, marks, policy, nodePrefix, registryConfig, insecureRegistries, null, null, false);
        }

        /** The nodes use this CNI config dir (null: generated) and plugin path (empty: default). */
        public Settings withCni(Path confDir, List<Path> binDir) {
            return new Settings(bootstrapServers, kafkaPort, home, nodes, marks, policy, nodePrefix, registryConfig, insecureRegistries, confDir, binDir, allowPrivileged);
        }

        PodNetworkSetup network() { return PodNetworkSetup.cni(cniConfDir, cniBinDir); }

        public Settings(String bootstrapServers, int kafkaPort, Path home, int nodes, NodeMarks marks, SchedulingPolicy policy,
                        String nodePrefix) {
            this(bootstrapServers, kafkaPort, home, nodes, marks, policy, nodePrefix, null, null);
        }
        public Settings(String bootstrapServers, int kafkaPort, Path home, int nodes) {
            this(bootstrapServers, kafkaPort, home, nodes, NodeMarks.NONE, SchedulingPolicy.SPREAD, DEFAULT_NODE_PREFIX);
        }

        public Settings(String bootstrapServers, int kafkaPort, Path home, int nodes, NodeMarks marks, SchedulingPolicy policy) {
            this(bootstrapServers, kafkaPort, home, nodes, marks, policy, DEFAULT_NODE_PREFIX);
        }

        String nodeName(int i) { return nodePrefix + "-" + i; }

        /** The nodes pull with this docker config.json's credentials and may use these registries over plain HTTP. */
        public Settings withRegistries(Path config, Set<String> insecure) {
            return new Settings(bootstrapServers, kafkaPort, home, nodes, marks, policy, nodePrefix, config, insecure, cniConfDir, cniBinDir, allowPrivileged);
        }

        /** The nodes let pods run privileged containers (docs/security.md). */
        public Settings withAllowPrivileged(boolean allowed) {
            return new Settings(bootstrapServers, kafkaPort, home, nodes, marks, policy, nodePrefix, registryConfig, insecureRegistries, cniConfDir,
                    cniBinDir, allowed);
        }
    }

    public static final String DEFAULT_NODE_PREFIX = "node";

    private final Settings settings;
    private EmbeddedKafka kafka;
    /** The user's client (reads everything, writes berth.commands); with authentication off, every service's too. */
    private BusConfig bus;
    /** The broker as reached without credentials (with authentication off, everyone's client). */
    private BusConfig plain;
    /** Before {@link #start}: whether the embedded broker authenticates clients and authorizes them by ACLs. */
    private boolean authenticated;
    /** Each principal's account by name, when authenticated. */
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private Vertx vertx;
    /** One local node: its agent's options, and the running agent with its deployment id (null while stopped). */
    private static final class LocalNode {
        final NodeAgentOptions options;
        NodeAgentVerticle agent;
        String deploymentId;
        /** The running agent's runtime, for `berth image load|rm|prune`; null while stopped. */
        volatile RuncRuntime runtime;

        LocalNode(NodeAgentOptions options) {
            this.options = options;
        }
    }

    private final Map<String, LocalNode> nodes = new LinkedHashMap<>();
    private final List<String> controlPlane = new ArrayList<>();
    /** The Service proxies, one per node; stopped before the control plane. */
    private final List<String> proxies = new ArrayList<>();
    private boolean closed;
    /** Where /metrics ports start ({@link #metricsOn}); 0: any free port for each service; -1: no /metrics. */
    private int metricsBase = 0;
    /** Every service's metrics, by its name in the banner (controller, scheduler, autoscaler, node-1, proxy/node-1, ...). */
    private final Map<String, ServiceMetrics> metrics = new LinkedHashMap<>();

    /** A stack not started yet: {@link #close} may be called from another thread at any point of {@link #start()}. */
    public LocalStack(Settings s) {
        Set<String> unknown = new TreeSet<>(s.marks().nodes());
        for (int i = 1; i <= s.nodes(); i++) unknown.remove(s.nodeName(i));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("labels, taints or extended resources for " + String.join(", ", unknown) + ", but the nodes are "
                    + s.nodeName(1) + ".." + s.nodeName(s.nodes()));
        }
        this.settings = s;
        for (int i = 1; i <= s.nodes(); i++) {
            String node = s.nodeName(i);
            nodes.put(node, new LocalNode(NodeAgentOptions.local(node, s.home().resolve("nodes").resolve(node), s.home().resolve("images"))
                    .withLabels(s.marks().labelsOf(node)).withTaints(s.marks().taintsOf(node))
                    .withExtendedResources(s.marks().extendedOf(node))
                    .withRegistries(s.registryConfig(), s.insecureRegistries())
                    .withClusterDns(dev.berth.proxy.ClusterDnsOptions.DEFAULT_ADDRESS) // node-1's proxy answers it
                    .withAllowPrivileged(s.allowPrivileged())));
        }
    }

    public static LocalStack start(Settings s) throws Exception {
        LocalStack stack = new LocalStack(s);
        stack.start();
        return stack;
    }

    /** A step of start-up, under the stack's lock: a concurrent {@link #close} waits for it, then undoes it. */
    private interface StartStep {
        void run() throws Exception;
    }

    private synchronized void step(StartStep step) throws Exception {
        if (closed) throw new IllegalStateException("the local stack was stopped while starting");
        step.run();
    }

    /**
     * Broker, topics, control plane, then the node agents, one step at a time. A stop that arrives
     * meanwhile (a signal, {@code berth down}) waits for the step under way and stops all started so far;
     * the rest of start-up then fails with "stopped while starting".
     */
    public void start() throws Exception {
        try {
            step(() -> forwardingAtStart = IpForwarding.enabled());
            step(() -> {
                boolean embedded = settings.bootstrapServers() == null;
                if (embedded && authenticated) {
                    addAccount(Owner.USERS, Acls.USER);
                    for (Owner role : List.of(Owner.CONTROLLER, Owner.SCHEDULER, Owner.AUTOSCALER)) addAccount(role, Acls.principal(role));
                    for (String node : nodes.keySet()) {
                        addAccount(Owner.NODE_AGENT, Acls.principal(Owner.NODE_AGENT, node));
                        addAccount(Owner.PROXY, Acls.principal(Owner.PROXY, node));
                    }
                }
                Path data = settings.home().resolve("kafka");
                // The user also logs in with PLAIN: kcat and Python clients on librdkafka < 2.6.1 fail SCRAM against Kafka 4.
                kafka = !embedded ? null : authenticated
                        ? EmbeddedKafka.start(data, settings.kafkaPort(), Map.of(Acls.USER, accounts.get(Acls.USER).password()))
                        : EmbeddedKafka.start(data, settings.kafkaPort());
                // An external broker: its client properties from BERTH_CLIENT_CONFIG / BERTH_KAFKA_* (docs/security.md).
                plain = kafka != null ? new BusConfig(kafka.bootstrapServers()) : BusConfig.resolve(settings.bootstrapServers());
                bus = plain;
            });
            step(() -> {
                BusConfig admin = kafka != null ? new BusConfig(kafka.superUserBootstrap(), kafka.superUserClient()) : plain;
                TopicAdmin.ensureTopics(admin);
                if (!accounts.isEmpty()) {
                    BusAccounts.apply(admin, List.copyOf(accounts.values()));
                    Account user = accounts.get(Acls.USER);
                    bus = plain.as(user.principal(), user.password(), BusConfig.PLAIN);
                }
            });
            step(() -> vertx = Vertx.vertx());
            step(() -> controlPlane.add(deploy(new ControllerVerticle(busOf(Owner.CONTROLLER), ControllerOptions.defaults(),
                    serveMetrics("controller", ServiceMetrics.of("controller"), 0)))));
            step(() -> controlPlane.add(deploy(new SchedulerVerticle(busOf(Owner.SCHEDULER), SchedulerOptions.defaults().withPolicy(settings.policy()),
                    serveMetrics("scheduler", ServiceMetrics.of("scheduler"), 1)))));
            step(() -> controlPlane.add(deploy(new AutoscalerVerticle(busOf(Owner.AUTOSCALER), AutoscalerOptions.defaults(),
                    serveMetrics("autoscaler", ServiceMetrics.of("autoscaler"), 2)))));
            for (String node : nodes.keySet()) step(() -> startNode(node));
            step(this::startProxies);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /**
     * One Service proxy per node, as kube-proxy: the local nodes share the host's network, so node i's node
     * ports listen on 127.0.0.(i+1) (node-1's on 127.0.0.1) and only the first proxy owns the cluster IPs
     * (on berth-svc0) and the cluster DNS (10.96.0.10:53, docs/dns.md); every proxy balances over the same
     * ready endpoints.
     */
    private void startProxies() throws Exception {
        int i = 0;
        for (String node : nodes.keySet()) {
            ProxyOptions options = ProxyOptions.forNode(node).withNodeAddress("127.0.0." + (i + 1));
            if (i > 0) options = options.withClusterIPs(false);
            proxies.add(deploy(new ProxyVerticle(busOf(Acls.principal(Owner.PROXY, node)), options).measuredBy(serveMetrics("proxy/" + node, ServiceMetrics.ofNode("proxy", node), 30 + i))));
            i++;
        }
    }

    /**
     * Before {@link #start}: every service serves Prometheus metrics on 127.0.0.1 from {@code basePort}
     * (controller +0, scheduler +1, autoscaler +2, node i's agent +10+i, node i's proxy +30+i; docs/operations.md);
     * 0 (the default, as in tests): each on a free port; -1: none.
     */
    public LocalStack metricsOn(int basePort) {
        this.metricsBase = basePort;
        return this;
    }

    /** Each service's /metrics port, by name (controller, scheduler, autoscaler, node-1, proxy/node-1, ...). */
    public synchronized Map<String, Integer> metricsPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        metrics.forEach((name, m) -> {
            if (m.port() > 0) ports.put(name, m.port());
        });
        return ports;
    }

    /** Starts serving {@code m} (replacing what served under {@code name} before) at its offset from the base port. */
    private ServiceMetrics serveMetrics(String name, ServiceMetrics m, int offset) throws Exception {
        ServiceMetrics before = metrics.put(name, m);
        if (before != null) {
            before.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            before.close();
        }
        if (metricsBase >= 0) {
            m.serve(vertx, "127.0.0.1", metricsBase == 0 ? 0 : metricsBase + offset).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
        return m;
    }

    private String deploy(io.vertx.core.Deployable verticle) throws Exception {
        return vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    public BusConfig bus() { return bus; }

    /**
     * Before {@link #start}: the embedded broker authenticates every client (SCRAM-SHA-512) and authorizes
     * it by the ACLs derived from the topic catalogue; each service and the user get their own principal
     * (docs/security.md). Off by default (tests); on for {@code berth up}.
     */
    public LocalStack authenticated(boolean on) {
        this.authenticated = on;
        return this;
    }

    /** The client of {@code principal} (its own credentials), or the plain client when not authenticated. */
    public BusConfig busOf(String principal) {
        Account a = accounts.get(principal);
        if (a != null) return a.on(plain);
        if (!accounts.isEmpty()) throw new IllegalArgumentException("no principal " + principal + " in this stack");
        return plain;
    }

    BusConfig busOf(Owner role) { return busOf(Acls.principal(role)); }

    private void addAccount(Owner role, String principal) {
        accounts.put(principal, Account.create(role, principal));
    }

    Vertx vertx() { return vertx; }

    public List<String> nodes() { return List.copyOf(nodes.keySet()); }

    public boolean embeddedBroker() { return kafka != null; }

    /**
     * The node's agent dies the way a crashed kubelet does: its heartbeats and placement processing
     * stop, its containers keep running. The controller then sees the node go NotReady and has its
     * pods replaced elsewhere; {@link #startNode} shows what a returning node does with them.
     */
    public synchronized void stopNode(String name) {
        if (closed) throw new IllegalStateException("the local stack is stopping");
        LocalNode node = node(name);
        if (node.agent == null) throw new IllegalStateException(name + " is already stopped");
        node.agent.keepContainersRunningOnStop();
        node.runtime = null;
        undeploy(node.deploymentId);
        node.agent = null;
        node.deploymentId = null;
    }

    /**
     * A fresh agent for the node: it adopts the containers whose pods are still placed on it and stops
     * those released while it was away (fencing: a returning node never keeps a replaced replica).
     */
    private int nodeIndex(String name) { return new ArrayList<>(nodes.keySet()).indexOf(name) + 1; }

    public synchronized void startNode(String name) throws Exception {
        if (closed) throw new IllegalStateException("the local stack is stopping");
        LocalNode node = node(name);
        if (node.agent != null) throw new IllegalStateException(name + " is already running");
        NodeAgentVerticle agent = new NodeAgentVerticle(busOf(Acls.principal(Owner.NODE_AGENT, name)), node.options, options -> {
            RuncRuntime runtime = (RuncRuntime) NodeAgentVerticle.RUNC.open(options);
            node.runtime = runtime;
            return runtime;
        }, settings.network()).measuredBy(serveMetrics(name, ServiceMetrics.ofNode("node-agent", name), 10 + nodeIndex(name)));
        node.deploymentId = deploy(agent);
        node.agent = agent;
    }

    /** What one node answered to an image command. */
    public record NodeAnswer(String node, List<String> images, String error) {}

    /**
     * Loads a {@code docker save} archive, OCI archive or OCI layout into every running node's store
     * (as {@code kind load image-archive}): each agent's own image service writes its store, so no
     * other process ever writes a store an agent uses.
     */
    public List<NodeAnswer> loadImage(Path archive) {
        return eachNode(images -> images.imageService().load(archive, null).stream().map(Object::toString).toList());
    }

    /** Removes the reference from every running node whose containers do not use it. */
    public List<NodeAnswer> removeImage(String reference) {
        return eachNode(images -> images.removeImage(reference));
    }

    /** Removes every image no container of the node uses, on every running node. */
    public List<NodeAnswer> pruneImages() {
        return eachNode(RuncRuntime::pruneImages);
    }

    private interface ImageAction {
        List<String> apply(RuncRuntime runtime) throws Exception;
    }

    private List<NodeAnswer> eachNode(ImageAction action) {
        List<NodeAnswer> answers = new ArrayList<>();
        List<LocalNode> all;
        synchronized (this) {
            all = List.copyOf(nodes.values());
        }
        for (LocalNode n : all) {
            RuncRuntime runtime = n.runtime;
            if (runtime == null) {
                answers.add(new NodeAnswer(n.options.nodeName(), List.of(), "node is stopped"));
                continue;
            }
            try {
                answers.add(new NodeAnswer(n.options.nodeName(), action.apply(runtime), null));
            } catch (Exception e) {
                answers.add(new NodeAnswer(n.options.nodeName(), List.of(), String.valueOf(e.getMessage())));
            }
        }
        return answers;
    }

    public synchronized boolean nodeRunning(String name) {
        return node(name).agent != null;
    }

    private LocalNode node(String name) {
        LocalNode node = nodes.get(name);
        if (node == null) throw new IllegalArgumentException("no node '" + name + "' in this stack; nodes: " + String.join(", ", nodes.keySet()));
        return node;
    }

    /**
     * Stops node agents first (each stops its containers with their grace periods), then the control
     * plane and Vert.x; then sweeps every node's runc state for what is left (a container that was
     * being stopped or started as the agent went, or belonged to a node stopped by {@code berth node stop})
     * and removes it and the node's cgroup parent; then stops the broker. Safe to call from any thread,
     * also while {@link #start()} runs, and more than once.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (LocalNode node : nodes.values()) {
            if (node.agent != null) undeploy(node.deploymentId);
            node.agent = null;
            node.deploymentId = null;
        }
        for (String id : proxies) undeploy(id);
        for (String id : controlPlane) undeploy(id);
        metrics.values().forEach(ServiceMetrics::close);
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Best effort on the way out.
            }
        }
        for (LocalNode node : nodes.values()) sweep(node.options);
        removeNetworking();
        if (kafka != null) kafka.close();
    }

    /** ip_forward as it was before the nodes' bridges turned it on (null: not read yet). */
    private Boolean forwardingAtStart;

    /**
     * What the nodes' pod networks left on the host once their agents are gone: every pod's network and
     * each node's bridge (a node stopped by {@code berth node stop} kept them), portmap's shared chains
     * when no pod's chain is left, and ip_forward as it was.
     */
    private void removeNetworking() {
        for (LocalNode node : nodes.values()) {
            for (Exception e : NodeAgentVerticle.removeNetworks(node.options, settings.network())) {
                System.err.println("warning: removing the pod networks of " + node.options.nodeName() + ": " + e.getMessage());
            }
        }
        try {
            PortmapChains.removeIfUnused();
            if (forwardingAtStart != null && IpForwarding.enabled() != forwardingAtStart) {
                // Turning forwarding off under another stack's (or test's) pod network would cut its pods off each other.
                String other = otherPodNetworkLink();
                if (other == null) IpForwarding.set(forwardingAtStart);
                else System.err.println("note: leaving net.ipv4.ip_forward on: " + other + " (another pod network on this host) still routes through it");
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("warning: cleaning up pod networking: " + e.getMessage());
        }
    }

    /** A bridge or veth of a pod network still on the host once this stack's are gone (another stack's), or null. */
    private static String otherPodNetworkLink() {
        try {
            Process p = new ProcessBuilder("ip", "-o", "link", "show").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String line : out.split("\n")) {
                String[] f = line.split(":\\s+", 3); // "7: berth-1a2b3c4d: <BROADCAST,...", a veth as "vethX@if2"
                if (f.length < 2) continue;
                String name = f[1].split("@")[0];
                if (name.startsWith("berth-") || name.startsWith("cni") || name.startsWith("veth")) return name;
            }
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Removes every container runc still has for the node, until it has none (a start in flight may land late). */
    private static void sweep(NodeAgentOptions node) {
        Path runcRoot = node.stateDir().resolve("runc");
        if (!Files.isDirectory(runcRoot)) return;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                NodeAgentVerticle.removeContainers(node);
                if (runcContainers(runcRoot).isEmpty()) return;
            } catch (Exception e) {
                System.err.println("warning: removing the containers of " + node.nodeName() + " (attempt " + attempt + "): " + e.getMessage());
            }
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.err.println("warning: " + node.nodeName() + " still has containers in " + runcRoot + ": remove them with `runc --root "
                + runcRoot + " delete --force ID`");
    }

    /** The ids runc lists under {@code runcRoot}. */
    static List<String> runcContainers(Path runcRoot) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("runc", "--root", runcRoot.toString(), "list", "-q").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) throw new IOException("runc list: " + out);
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    private void undeploy(String id) {
        try {
            vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: stopping " + id + ": " + e.getMessage());
        }
    }
}
