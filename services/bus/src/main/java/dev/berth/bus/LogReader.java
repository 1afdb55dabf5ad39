package dev.berth.bus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
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

    /** Calls {@code sink} for every record of {@code topics} (per partition in offset order); returns the end offsets reached. */
    public static Map<TopicPartition, Long> readAll(BusConfig bus, Collection<Topic> topics, Consumer<RawRecord> sink) {
        return readAll(bus, topics, t -> null, sink);
    }

    /**
     * Like {@link #readAll(BusConfig, Collection, Consumer)}, but a topic for which {@code since}
     * gives a time is read from that time only (heartbeats: only the recent ones matter).
     */
    public static Map<TopicPartition, Long> readAll(BusConfig bus, Collection<Topic> topics, Function<Topic, Instant> since,
                                                    Consumer<RawRecord> sink) {
        return readAll(bus, topics, since, null, sink);
    }

    /** Like the above, and stops each partition at its first record after {@code until} (null: its current end). */
    public static Map<TopicPartition, Long> readAll(BusConfig bus, Collection<Topic> topics, Function<Topic, Instant> since,
                                                    Instant until, Consumer<RawRecord> sink) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-log-reader")))) {
            List<TopicPartition> partitions = partitions(consumer, topics);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            for (TopicPartition tp : partitions) {
                Instant from = since.apply(Topic.byName(tp.topic()));
                if (from != null) query.put(tp, from.toEpochMilli());
            }
            if (!query.isEmpty()) {
                Map<TopicPartition, Long> endOffsets = consumer.endOffsets(query.keySet());
                consumer.offsetsForTimes(query).forEach((tp, at) -> consumer.seek(tp, at != null ? at.offset() : endOffsets.get(tp)));
            }
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            if (until != null) {
                Map<TopicPartition, Long> after = new HashMap<>();
                for (TopicPartition tp : partitions) after.put(tp, until.toEpochMilli() + 1);
                consumer.offsetsForTimes(after, Duration.ofSeconds(30)).forEach((tp, at) -> {
                    if (at != null) end.put(tp, Math.min(end.get(tp), at.offset()));
                });
            }
            while (!caughtUp(consumer, end)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) continue;
                    sink.accept(new RawRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
                }
            }
            Map<TopicPartition, Long> reached = new HashMap<>();
            for (TopicPartition tp : partitions) reached.put(tp, consumer.position(tp));
            return reached;
        }
    }

    /** All decodable envelopes of {@code topics}; undecodable records are skipped (their owner answers them). */
    public static List<Envelope> readEnvelopes(BusConfig bus, Collection<Topic> topics) {
        return readEnvelopes(bus, topics, t -> null);
    }

    public static List<Envelope> readEnvelopes(BusConfig bus, Collection<Topic> topics, Function<Topic, Instant> since) {
        List<Envelope> out = new ArrayList<>();
        readAll(bus, topics, since, r -> {
            try {
                out.add(Json.decode(r.value()));
            } catch (BadRecordException ignored) {
                // Not ours to judge here.
            }
        });
        return out;
    }

    /** Per partition of {@code topics}, the first offset at or after {@code time} (the end offset when none). */
    public static Map<TopicPartition, Long> offsetsAt(BusConfig bus, Collection<Topic> topics, Instant time) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-log-reader")))) {
            List<TopicPartition> partitions = partitions(consumer, topics);
            Map<TopicPartition, Long> query = new HashMap<>();
            for (TopicPartition tp : partitions) query.put(tp, time.toEpochMilli());
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> found = new HashMap<>();
            consumer.offsetsForTimes(query, Duration.ofSeconds(30)).forEach((tp, at) -> found.put(tp, at != null ? at.offset() : end.get(tp)));
            return found;
        }
    }

    /** Every partition of {@code topics} (those that exist). */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, Collection<Topic> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic t : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(t.topicName(), Duration.ofSeconds(30));
            if (infos == null) continue;
            for (PartitionInfo p : infos) partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        return partitions;
    }

    private static boolean caughtUp(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) return false;
        }
        return true;
    }
}
