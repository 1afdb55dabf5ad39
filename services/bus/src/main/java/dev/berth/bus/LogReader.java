package dev.berth.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads topics from the beginning up to their current end, without a consumer group: how a
 * service rebuilds its state at start and how the CLI folds the log into cluster views.
 * Blocking; call it off the event loop.
 */
public final class LogReader {
    private LogReader() {}

    /** A record read from the log, decoded, with where it came from. */
    public record Entry(String topic, int partition, long offset, long timestamp, String key, Envelope envelope) {}

    /** Calls {@code sink} for every decodable record of {@code topics}, per partition in offset order. */
    public static void readAll(BusConfig bus, Collection<Topic> topics, Consumer<Entry> sink) {
        Map<String, String> cfg = bus.consumer(null, "berth-log-reader");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(cfg))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic t : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(t.topicName(), Duration.ofSeconds(30));
                if (infos == null) continue;
                for (PartitionInfo p : infos) partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (!caughtUp(consumer, end)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        sink.accept(new Entry(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), Json.decode(r.value())));
                    } catch (BadRecordException ignored) {
                        // Not ours to judge here: the owning consumer answers bad records.
                    }
                }
            }
        }
    }

    public static List<Entry> readAll(BusConfig bus, Collection<Topic> topics) {
        List<Entry> entries = new ArrayList<>();
        readAll(bus, topics, entries::add);
        return entries;
    }

    private static boolean caughtUp(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) return false;
        }
        return true;
    }
}
