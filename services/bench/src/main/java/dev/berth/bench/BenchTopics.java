package dev.berth.bench;

import dev.berth.bus.BusConfig;
import dev.berth.bus.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Berth's topics on the benchmark's fresh broker, with one change: the topics the observer reads stamp
 * records with the broker's append time, so a latency ends when the event was on the log — not when
 * its producer called send, nor when the busy observer got round to reading it.
 */
final class BenchTopics {
    private BenchTopics() {}

    static void create(BusConfig bus) {
        TopicAdmin.ensureTopics(bus);
        try (Admin admin = admin(bus)) {
            Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
            AlterConfigOp appendTime = new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"), AlterConfigOp.OpType.SET);
            for (var topic : EventObserver.TOPICS) {
                changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName()), List.of(appendTime));
            }
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot configure the benchmark's topics: " + e, e);
        }
    }

    /** Plain topics outside Berth's catalogue (the raw hop's), created if missing. */
    static void createPlain(BusConfig bus, int partitions, String... names) {
        try (Admin admin = admin(bus)) {
            List<NewTopic> topics = new ArrayList<>();
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String name : names) if (!existing.contains(name)) topics.add(new NewTopic(name, partitions, (short) 1));
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + List.of(names) + ": " + e, e);
        }
        awaitServing(bus, List.of(names));
    }

    /**
     * Until the new partitions serve requests: a producer writing the moment a topic is created meets
     * NOT_LEADER errors, after which an idempotent producer was seen stuck on OUT_OF_ORDER_SEQUENCE until
     * its records expired. Listing end offsets needs the same leader, and its client retries until it has one.
     */
    private static void awaitServing(BusConfig bus, List<String> names) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-bench-topic-check")))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String name : names) {
                for (PartitionInfo p : consumer.partitionsFor(name, Duration.ofSeconds(30))) partitions.add(new TopicPartition(name, p.partition()));
            }
            consumer.endOffsets(partitions, Duration.ofSeconds(30));
        }
    }

    private static Admin admin(BusConfig bus) {
        return Admin.create(bus.props(bus.admin()));
    }
}
