package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.*;
import dev.berth.bus.testing.TestBus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Times `berth why` and `berth get --at` on a log of about 1,000,000 events. Not part of the normal
 * test run: {@code ./mvnw -q -pl services/cli -am test -Dtest=HistoryBenchmark -Dberth.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
class HistoryBenchmark {
    static final PodTemplate TEMPLATE = new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), Map.of(),
            new Resources(100, 64L << 20), "Always", 5);

    @Test
    void whyAndTimeTravelOnAMillionEvents() throws Exception {
        int deployments = Integer.getInteger("berth.bench.deployments", 23_000);
        try (TestBus bus = TestBus.start();
             KafkaProducer<String, String> producer = new KafkaProducer<>(bus.config().props(producerConfig(bus)))) {
            Instant t = Instant.parse("2026-11-27T08:00:00Z");
            long events = 0;
            long t0 = System.nanoTime();
            Instant middle = null;
            for (int d = 0; d < deployments; d++) {
                if (d == deployments / 2) middle = t;
                String name = "app-" + d;
                DeploymentSpec spec = new DeploymentSpec(name, 10, TEMPLATE);
                Envelope command = Envelope.command(new ApplyDeployment(spec), "cli/bench", t);
                events += send(producer, Topic.COMMANDS, name, command);
                Envelope applied = Envelope.causedBy(command, new DeploymentApplied(spec, 1), "controller", t);
                events += send(producer, Topic.DEPLOYMENTS, name, applied);
                events += send(producer, Topic.COMMAND_RESULTS, command.id(), Envelope.causedBy(command,
                        new CommandAccepted(command.id(), "ApplyDeployment", name, "deployment " + name + " created: 10 replicas"), "controller", t));
                for (int p = 0; p < 10; p++) {
                    String pod = name + "-" + p;
                    String node = "node-" + ((d * 10 + p) % 500);
                    Envelope created = Envelope.causedBy(applied, new PodCreated(pod, name, 1, TEMPLATE), "controller", t);
                    events += send(producer, Topic.PODS, pod, created);
                    Envelope placed = Envelope.causedBy(created, new PodPlaced(pod, node, name, TEMPLATE, 500, Map.of(),
                            List.of(new PodPlaced.NodeScore(node, 90.0, Map.of("LeastAllocated", 90.0)))), "scheduler", t.plusMillis(5));
                    events += send(producer, Topic.PLACEMENTS, node, placed);
                    Envelope starting = Envelope.causedBy(placed, new PodStatusChanged(pod, node, ContainerState.Starting, null,
                            "Scheduled", "starting container", 0), "node-agent/" + node, t.plusMillis(10));
                    events += send(producer, Topic.POD_STATUS, pod, starting);
                    events += send(producer, Topic.POD_STATUS, pod, Envelope.causedBy(starting, new PodStatusChanged(pod, node,
                            ContainerState.Running, null, "Started", "container started", 0), "node-agent/" + node, t.plusMillis(60)));
                }
                t = t.plusMillis(100);
            }
            producer.flush();
            System.out.printf("generated %,d events in %.1f s%n", events, (System.nanoTime() - t0) / 1e9);

            String pod = "app-" + (deployments / 3) + "-7";
            for (int run = 1; run <= 3; run++) {
                long w = System.nanoTime();
                PodHistory.Chain chain = PodHistory.of(pod, new TargetedHistory(bus.config()).gather(pod));
                System.out.printf("why pod/%s (run %d): %d events in the chain, %d ms%n", pod, run, chain.events().size(),
                        (System.nanoTime() - w) / 1_000_000);
                assertThat(chain.events()).hasSize(7);
            }
            for (int run = 1; run <= 2; run++) {
                long g = System.nanoTime();
                ClusterView view = GetCommand.loadAt(LogSource.brokerUntil(bus.config(), GetCommand.heartbeatsSince(middle), middle), middle);
                System.out.printf("get deployments --at %s (run %d): %,d deployments, %,d pods, %d ms%n", middle, run,
                        view.deployments().size(), view.pods().size(), (System.nanoTime() - g) / 1_000_000);
            }
        }
    }

    static Map<String, String> producerConfig(TestBus bus) {
        Map<String, String> c = bus.config().producer("history-bench");
        c.put("linger.ms", "20");
        c.put("batch.size", "262144");
        c.put("compression.type", "lz4");
        return c;
    }

    static int send(KafkaProducer<String, String> producer, Topic topic, String key, Envelope e) {
        // Record time = event time, as when services publish as they decide.
        producer.send(new ProducerRecord<>(topic.topicName(), null, e.time().toEpochMilli(), key, Json.encode(e)));
        return 1;
    }
}
