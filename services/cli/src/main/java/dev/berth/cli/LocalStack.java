package dev.berth.cli;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.BusConfig;
import dev.berth.bus.TopicAdmin;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.node.NodeAgentOptions;
import dev.berth.node.NodeAgentVerticle;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Berth on one machine: a Kafka broker (embedded unless one is given), the controller, the
 * scheduler and N node agents, each a verticle in this JVM talking only through Kafka.
 */
public final class LocalStack implements AutoCloseable {

    /** @param bootstrapServers an external broker, or null to embed one */
    public record Settings(String bootstrapServers, int kafkaPort, Path home, int nodes) {}

    private final EmbeddedKafka kafka;
    private final BusConfig bus;
    private final Vertx vertx;
    private final Map<String, String> nodeDeployments = new LinkedHashMap<>();
    private final List<String> controlPlane = new ArrayList<>();

    private LocalStack(EmbeddedKafka kafka, BusConfig bus, Vertx vertx) {
        this.kafka = kafka;
        this.bus = bus;
        this.vertx = vertx;
    }

    public static LocalStack start(Settings s) throws Exception {
        EmbeddedKafka kafka = s.bootstrapServers() == null ? EmbeddedKafka.start(s.home().resolve("kafka"), s.kafkaPort()) : null;
        BusConfig bus = new BusConfig(kafka != null ? kafka.bootstrapServers() : s.bootstrapServers());
        TopicAdmin.ensureTopics(bus);
        LocalStack stack = new LocalStack(kafka, bus, Vertx.vertx());
        try {
            stack.controlPlane.add(stack.deploy(new ControllerVerticle(bus, ControllerOptions.defaults())));
            stack.controlPlane.add(stack.deploy(new SchedulerVerticle(bus, SchedulerOptions.defaults())));
            for (int i = 1; i <= s.nodes(); i++) {
                String node = "node-" + i;
                NodeAgentOptions options = NodeAgentOptions.local(node, s.home().resolve("nodes").resolve(node), s.home().resolve("images"));
                stack.nodeDeployments.put(node, stack.deploy(new NodeAgentVerticle(bus, options)));
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

    public List<String> nodes() { return List.copyOf(nodeDeployments.keySet()); }

    public boolean embeddedBroker() { return kafka != null; }

    /** Stops node agents first (they stop their containers), then the control plane and the broker. */
    @Override
    public void close() {
        for (String id : nodeDeployments.values()) undeploy(id);
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
