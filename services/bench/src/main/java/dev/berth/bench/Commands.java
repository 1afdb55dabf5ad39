package dev.berth.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ApplyHorizontalPodAutoscaler;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.ScaleTargetRef;
import dev.berth.bus.Json;
import dev.berth.bus.Topic;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends commands the way any client may (see docs/topics.md): a JSON envelope on berth.commands,
 * keyed by the deployment. Built as JSON, not from the contract records, so the benchmark keeps
 * working while optional fields are added to the contract.
 */
final class Commands implements AutoCloseable {
    /** A sent command: its id and the time in its envelope, in epoch microseconds. */
    record Sent(String id, long timeMicros) {}

    /** What each replica runs and reserves. */
    record Pod(List<String> command, long cpuMillis, long memoryBytes, int graceSeconds) {}

    private final KafkaProducer<String, String> producer;

    Commands(BusConfig bus) {
        this.producer = new KafkaProducer<>(bus.props(bus.producer("berth-bench-commands")));
    }

    Sent apply(String deployment, int replicas, Pod pod) {
        ObjectNode data = Json.object();
        ObjectNode spec = data.putObject("deployment").put("name", deployment).put("replicas", replicas);
        spec.set("template", template(pod));
        return send(deployment, "ApplyDeployment", data);
    }

    /**
     * A HorizontalPodAutoscaler on {@code deployment} (named after it) at {@code cpuPercent} of requests, between 1 and
     * {@code maxReplicas}; from the contract's records, as the CLI sends it.
     */
    Sent applyAutoscaler(String deployment, int maxReplicas, int cpuPercent) {
        var spec = new HorizontalPodAutoscalerSpec(null, deployment, ScaleTargetRef.deployment(deployment), 1, maxReplicas,
                List.of(MetricSpec.cpuUtilization(cpuPercent)), null);
        Envelope envelope = Envelope.command(new ApplyHorizontalPodAutoscaler(spec), "bench", Instant.now());
        producer.send(new ProducerRecord<>(Topic.COMMANDS.topicName(), deployment, Json.encode(envelope)));
        return new Sent(envelope.id(), ChronoUnit.MICROS.between(Instant.EPOCH, envelope.time()));
    }

    Sent delete(String deployment) {
        return send(deployment, "DeleteDeployment", Json.object().put("name", deployment));
    }

    /**
     * Only for {@code --scheduler-only}, where no controller runs: writes the PodCreated events the
     * controller would write for {@code replicas} pods of {@code deployment}, all descending from one
     * made-up command id (their correlation id), stamped with the time the first is written.
     */
    Sent createPodsAsController(String deployment, int replicas, Pod pod) {
        String commandId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        for (int i = 0; i < replicas; i++) {
            String name = String.format("%s-%05d", deployment, i);
            ObjectNode data = Json.object().put("pod", name).put("deployment", deployment).put("generation", 1);
            data.set("template", template(pod));
            ObjectNode envelope = envelope(UUID.randomUUID().toString(), "PodCreated", now, "bench-as-controller", commandId);
            envelope.set("data", data);
            producer.send(new ProducerRecord<>(Topic.PODS.topicName(), name, envelope.toString()));
        }
        return new Sent(commandId, ChronoUnit.MICROS.between(Instant.EPOCH, now));
    }

    /** Only for {@code --scheduler-only}: the controller's word that these nodes are Ready, so the scheduler need not judge by heartbeat age. */
    void markNodesReadyAsController(List<String> nodes) {
        Instant now = Instant.now();
        for (String node : nodes) {
            ObjectNode data = Json.object().put("node", node).put("condition", "Ready").put("cordoned", false)
                    .put("reason", "benchmark: heartbeats received").put("lastHeartbeat", now.toString());
            ObjectNode envelope = envelope(UUID.randomUUID().toString(), "NodeStatusChanged", now, "bench-as-controller", null);
            envelope.set("data", data);
            producer.send(new ProducerRecord<>(Topic.NODES.topicName(), node, envelope.toString()));
        }
    }

    private static ObjectNode template(Pod pod) {
        ObjectNode template = Json.object().put("image", "busybox");
        pod.command().forEach(template.putArray("command")::add);
        template.putObject("resources").put("cpuMillis", pod.cpuMillis()).put("memoryBytes", pod.memoryBytes());
        return template.put("restartPolicy", "Always").put("terminationGracePeriodSeconds", pod.graceSeconds());
    }

    private static ObjectNode envelope(String id, String type, Instant time, String source, String correlationId) {
        return Json.object().put("id", id).put("type", type).put("version", 1).put("time", time.toString())
                .put("source", source).put("correlationId", correlationId);
    }

    private Sent send(String key, String type, ObjectNode data) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        ObjectNode envelope = envelope(id, type, now, "bench", id);
        envelope.set("data", data);
        producer.send(new ProducerRecord<>(Topic.COMMANDS.topicName(), key, envelope.toString()));
        return new Sent(id, ChronoUnit.MICROS.between(Instant.EPOCH, now));
    }

    void flush() { producer.flush(); }

    @Override
    public void close() { producer.close(Duration.ofSeconds(10)); }
}
