package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away while a transactional {@link ServiceLoop} has commands in flight, and comes
 * back on the same port with the same log: the loop resumes by itself, and every command is
 * answered exactly once (nothing lost, nothing doubled).
 */
class ServiceLoopOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void survivesABrokerOutageWithNothingLostOrDoubled() throws Exception {
        Path dir = Files.createTempDirectory("berth-outage-");
        int port = freePort();
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, port);
        Vertx vertx = Vertx.vertx();
        BusConfig bus = new BusConfig(kafka.bootstrapServers());
        ServiceLoop<Integer> loop = null;
        try {
            TopicAdmin.ensureTopics(bus);
            TransactionalPublisher tx = TestBus.await(TransactionalPublisher.create(vertx, bus, "echo-outage"));
            loop = TestBus.await(vertx.getOrCreateContext().<Void>executeBlocking(() -> null).map(v ->
                    ServiceLoop.builder(vertx, bus, "echo", new ServiceLoopTest.EchoCore(), 0)
                            .transactional(tx)
                            .source(new ServiceLoop.Source("commands", List.of(Topic.COMMANDS),
                                    new LogTail.Start.TransactionalGroup("echo-outage-group"), Set.of()))
                            .start()));
            List<String> sent = new ArrayList<>(send(bus, 0, 200));
            // Out while the first commands are being answered.
            kafka.close();
            Thread.sleep(8000);
            kafka = EmbeddedKafka.start(dir, port);
            sent.addAll(send(bus, 200, 100));

            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> answers(bus).keySet().containsAll(sent));
            Map<String, Long> answers = answers(bus);
            assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(answers.values()).as("one answer per command").allMatch(n -> n == 1);
        } finally {
            if (loop != null) {
                ServiceLoop<Integer> l = loop;
                TestBus.await(vertx.getOrCreateContext().<Void>executeBlocking(() -> null).compose(v -> l.stop()));
            }
            TestBus.await(vertx.close());
            kafka.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<String> send(BusConfig bus, int from, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(bus.props(bus.producer("outage-test")))) {
            for (int i = from; i < from + count; i++) {
                Envelope env = Envelope.command(new DeleteDeployment("d" + i), "test", Instant.now());
                producer.send(new ProducerRecord<>(Topic.COMMANDS.topicName(), "d" + i, Json.encode(env)));
                ids.add(env.id());
            }
            producer.flush();
        }
        return ids;
    }

    private static Map<String, Long> answers(BusConfig bus) {
        return LogReader.readEnvelopes(bus, List.of(Topic.COMMAND_RESULTS)).stream()
                .map(Envelope::data).filter(CommandAccepted.class::isInstance).map(CommandAccepted.class::cast)
                .collect(Collectors.groupingBy(CommandAccepted::commandId, Collectors.counting()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
