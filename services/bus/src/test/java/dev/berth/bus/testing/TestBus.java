package dev.berth.bus.testing;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.contract.Payload;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

/**
 * A real embedded broker with Berth's topics, for integration tests: one per test class, so tests
 * never see each other's events. Also a raw producer and log reads for assertions.
 */
public final class TestBus implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final BusConfig bus;
    private final KafkaProducer<String, String> producer;

    private TestBus(EmbeddedKafka kafka) {
        this.kafka = kafka;
        this.bus = new BusConfig(kafka.bootstrapServers());
        TopicAdmin.ensureTopics(bus);
        Properties p = bus.props(bus.producer("test"));
        this.producer = new KafkaProducer<>(p);
    }

    public static TestBus start() { return new TestBus(EmbeddedKafka.startTemporary()); }

    /** The result of a Vert.x future, waited for from a test thread (a minute at most: a test stuck on it fails). */
    public static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    public BusConfig config() { return bus; }

    /** Produces a command the way any client would; returns its envelope (its id is the command id). */
    public Envelope sendCommand(dev.berth.bus.contract.Command command) {
        Envelope env = Envelope.command(command, "test", Instant.now());
        send(Topic.COMMANDS, command.target(), Json.encode(env));
        return env;
    }

    public void send(Topic topic, String key, Payload payload) {
        send(topic, key, Json.encode(Envelope.spontaneous(payload, "test", Instant.now())));
    }

    /** Sends raw bytes-as-text, e.g. garbage, to prove consumers survive it. */
    public void send(Topic topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic.topicName(), key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Envelope> read(Topic... topics) { return LogReader.readEnvelopes(bus, Arrays.asList(topics)); }

    public <T extends Payload> List<T> payloads(Topic topic, Class<T> type) {
        return read(topic).stream().map(Envelope::data).filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits until some event of {@code type} on {@code topic} matches; returns it. */
    public <T extends Payload> T await(Topic topic, Class<T> type, Predicate<T> match, Duration timeout) {
        T[] found = newArray(type);
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (T t : payloads(topic, type)) {
                if (match.test(t)) {
                    found[0] = t;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @SuppressWarnings("unchecked")
    private static <T> T[] newArray(Class<T> type) { return (T[]) java.lang.reflect.Array.newInstance(type, 1); }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
        kafka.close();
    }
}
