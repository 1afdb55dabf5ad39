package dev.berth.cli;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.BusConfig;
import dev.berth.bus.TopicAdmin;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.node.NodeAgentOptions;
import dev.berth.node.NodeAgentVerticle;
import dev.berth.node.runtime.RuncRuntime;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerVerticle;
import dev.berth.scheduler.core.SchedulingPolicy;
import io.vertx.core.Vertx;
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
     * @param marks            labels and taints of the nodes (named node-1..node-N)
     * @param policy           how the scheduler ranks nodes
     */
    public record Settings(String bootstrapServers, int kafkaPort, Path home, int nodes, NodeMarks marks, SchedulingPolicy policy,
                           Path registryConfig, Set<String> insecureRegistries) {
        public Settings {
            insecureRegistries = insecureRegistries == null ? Set.of() : Set.copyOf(insecureRegistries);
        }

        public Settings(String bootstrapServers, int kafkaPort, Path home, int nodes, NodeMarks marks, SchedulingPolicy policy) {
            this(bootstrapServers, kafkaPort, home, nodes, marks, policy, null, null);
        }

        public Settings(String bootstrapServers, int kafkaPort, Path home, int nodes) {
            this(bootstrapServers, kafkaPort, home, nodes, NodeMarks.NONE, SchedulingPolicy.SPREAD);
        }

        /** The nodes pull with this docker config.json's credentials and may use these registries over plain HTTP. */
        public Settings withRegistries(Path config, Set<String> insecure) {
            return new Settings(bootstrapServers, kafkaPort, home, nodes, marks, policy, config, insecure);
        }
    }

    private final EmbeddedKafka kafka;
    private final BusConfig bus;
    private final Vertx vertx;
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
    private boolean closed;

    private LocalStack(EmbeddedKafka kafka, BusConfig bus, Vertx vertx) {
        this.kafka = kafka;
        this.bus = bus;
        this.vertx = vertx;
    }

    public static LocalStack start(Settings s) throws Exception {
        Set<String> unknown = new TreeSet<>(s.marks().nodes());
        for (int i = 1; i <= s.nodes(); i++) unknown.remove("node-" + i);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("labels or taints for " + String.join(", ", unknown) + ", but the nodes are node-1..node-" + s.nodes());
        }
        EmbeddedKafka kafka = s.bootstrapServers() == null ? EmbeddedKafka.start(s.home().resolve("kafka"), s.kafkaPort()) : null;
        BusConfig bus = new BusConfig(kafka != null ? kafka.bootstrapServers() : s.bootstrapServers());
        TopicAdmin.ensureTopics(bus);
        LocalStack stack = new LocalStack(kafka, bus, Vertx.vertx());
        try {
            stack.controlPlane.add(stack.deploy(new ControllerVerticle(bus, ControllerOptions.defaults())));
            stack.controlPlane.add(stack.deploy(new SchedulerVerticle(bus, SchedulerOptions.defaults().withPolicy(s.policy()))));
            for (int i = 1; i <= s.nodes(); i++) {
                String node = "node-" + i;
                NodeAgentOptions options = NodeAgentOptions.local(node, s.home().resolve("nodes").resolve(node), s.home().resolve("images"))
                        .withLabels(s.marks().labelsOf(node)).withTaints(s.marks().taintsOf(node))
                        .withRegistries(s.registryConfig(), s.insecureRegistries());
                stack.nodes.put(node, new LocalNode(options));
                stack.startNode(node);
            }
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private String deploy(io.vertx.core.Deployable verticle) throws Exception {
        return vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    public BusConfig bus() { return bus; }

    Vertx vertx() { return vertx; }

    public List<String> nodes() { return List.copyOf(nodes.keySet()); }

    public boolean embeddedBroker() { return kafka != null; }

    /**
     * The node's agent dies the way a crashed kubelet does: its heartbeats and placement processing
     * stop, its containers keep running. The controller then sees the node go NotReady and has its
     * pods replaced elsewhere; {@link #startNode} shows what a returning node does with them.
     */
    public synchronized void stopNode(String name) {
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
    public synchronized void startNode(String name) throws Exception {
        LocalNode node = node(name);
        if (node.agent != null) throw new IllegalStateException(name + " is already running");
        NodeAgentVerticle agent = new NodeAgentVerticle(bus, node.options, options -> {
            RuncRuntime runtime = (RuncRuntime) NodeAgentVerticle.RUNC.open(options);
            node.runtime = runtime;
            return runtime;
        });
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
     * Stops node agents first (they stop their containers; a stopped node's containers are removed
     * directly), then the control plane and the broker.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (LocalNode node : nodes.values()) {
            if (node.agent != null) {
                undeploy(node.deploymentId);
            } else {
                try {
                    NodeAgentVerticle.removeContainers(node.options);
                } catch (Exception e) {
                    System.err.println("warning: removing the containers of stopped " + node.options.nodeName() + ": " + e.getMessage());
                }
            }
        }
        for (String id : controlPlane) undeploy(id);
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // Best effort on the way out.
        }
        if (kafka != null) kafka.close();
    }

    private void undeploy(String id) {
        try {
            vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: stopping " + id + ": " + e.getMessage());
        }
    }
}
