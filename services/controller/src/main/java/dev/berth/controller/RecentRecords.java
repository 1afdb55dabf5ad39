package dev.berth.controller;

import dev.berth.bus.BusConfig;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one topic from a point in time up to its current end (blocking): how the controller learns
 * the nodes' recent heartbeats before it answers its first command. LogReader reads from the
 * beginning only, and heartbeat history is of no use.
 */
final class RecentRecords {
    private RecentRecords() {}

    /** Calls {@code sink} for each record since {@code since}; returns the offsets to continue from. */
    static Map<TopicPartition, Long> read(BusConfig bus, Topic topic, Instant since, Consumer<RawRecord> sink) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-controller-recent")))) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<PartitionInfo> infos = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(30));
            if (infos != null) infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp at = found.get(tp);
                consumer.seek(tp, at != null ? at.offset() : end.get(tp));
            }
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(new RawRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
                }
            }
            Map<TopicPartition, Long> reached = new HashMap<>();
            for (TopicPartition tp : partitions) reached.put(tp, consumer.position(tp));
            return reached;
        }
    }
}
