package dev.berth.cli;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A simulated node for control-plane tests: heartbeats every second and answers its placements
 * (a placed pod is Running at once, a released one Stopped), with no containers. {@link #fail()}
 * silences it like a crashed machine, pods still "running"; {@link #recover()} lets it go on from
 * where it stopped, so the releases published meanwhile stop its stale pods (fencing).
 */
final class SimulatedNode implements AutoCloseable {
    static final NodeResources CAPACITY = new NodeResources(4000, 8L << 30, 110);

    private final String name;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> placements;
    private final Set<String> running = new ConcurrentSkipListSet<>();
    private final Thread loop;
    private final Instant startedAt = Instant.now();
    private volatile boolean alive = true;
    private volatile boolean closed;
    private volatile Instant lastHeartbeat;
    private long sequence;

    SimulatedNode(BusConfig bus, String name) {
        this.name = name;
        this.producer = new KafkaProducer<>(bus.props(bus.producer("simulated-" + name)));
        this.placements = new KafkaConsumer<>(bus.props(bus.consumer(null, "simulated-" + name)));
        List<TopicPartition> partitions = placements.partitionsFor(Topic.PLACEMENTS.topicName(), Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        placements.assign(partitions);
        placements.seekToBeginning(partitions);
        this.loop = new Thread(this::run, "simulated-" + name);
        loop.setDaemon(true);
        loop.start();
    }

    String name() { return name; }

    /** The node goes silent: no heartbeats, no placements read; its pods keep "running". */
    void fail() { alive = false; }

    void recover() { alive = true; }

    /** When the last heartbeat was sent (its envelope time). */
    Instant lastHeartbeat() { return lastHeartbeat; }

    /** Pods this node runs now. */
    Set<String> running() { return new TreeSet<>(running); }

    private void run() {
        long nextHeartbeat = 0;
        while (!closed) {
            if (!alive) {
                sleep(50);
                continue;
            }
            if (System.nanoTime() >= nextHeartbeat) {
                heartbeat();
                nextHeartbeat = System.nanoTime() + 1_000_000_000L;
            }
            for (ConsumerRecord<String, String> r : placements.poll(Duration.ofMillis(100))) {
                if (name.equals(r.key())) answer(r.value());
            }
        }
    }

    private void heartbeat() {
        Instant now = Instant.now();
        send(Topic.NODE_HEARTBEATS, name, new NodeHeartbeat(name, CAPACITY, CAPACITY, List.of("busybox"), List.copyOf(running),
                ++sequence, startedAt), now);
        lastHeartbeat = now;
    }

    private void answer(String value) {
        Payload p;
        try {
            p = Json.decode(value).data();
        } catch (BadRecordException e) {
            return;
        }
        if (p instanceof PodPlaced placed && running.add(placed.pod())) {
            send(Topic.POD_STATUS, placed.pod(), status(placed.pod(), ContainerState.Running, "Started"), Instant.now());
        } else if (p instanceof PodReleased released && running.remove(released.pod())) {
            send(Topic.POD_STATUS, released.pod(), status(released.pod(), ContainerState.Stopped, "Deleted"), Instant.now());
        }
    }

    private PodStatusChanged status(String pod, ContainerState state, String reason) {
        return new PodStatusChanged(pod, name, state, null, reason, "simulated node", 0);
    }

    private void send(Topic topic, String key, Payload payload, Instant at) {
        Envelope env = Envelope.spontaneous(payload, "node-agent/" + name, at);
        producer.send(new ProducerRecord<>(topic.topicName(), key, Json.encode(env)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        placements.close();
        producer.close(Duration.ofSeconds(2));
    }
}
