package dev.berth.cli;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerLogs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads one pod's {@link ContainerLogs} from berth.logs: only the partition its key (the pod's name) hashes to,
 * as the producer's default partitioner chose it, from the first record at or after {@code since} (null: the
 * topic's retention), up to the end; then, when following, every new one until the sink says stop or the thread
 * is interrupted (Ctrl-C), as {@code get -w} follows.
 */
final class PodLogReader {
    private final BusConfig bus;

    PodLogReader(BusConfig bus) {
        this.bus = bus;
    }

    /** What to do with a record: true to go on. */
    interface Sink extends Predicate<Envelope> {}

    /**
     * Every record of {@code pod} (key) so far to {@code history}, then {@code caughtUp}; then, with {@code follow},
     * new ones to {@code live}.
     */
    void read(String pod, Instant since, boolean follow, java.util.function.Consumer<Envelope> history, Runnable caughtUp, Sink live) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-logs")))) {
            TopicPartition tp = partition(consumer, pod);
            List<TopicPartition> one = List.of(tp);
            consumer.assign(one);
            long end = consumer.endOffsets(one).get(tp);
            long start = consumer.beginningOffsets(one).get(tp);
            if (since != null) {
                OffsetAndTimestamp at = consumer.offsetsForTimes(Map.of(tp, since.toEpochMilli())).get(tp);
                start = at == null ? end : at.offset();
            }
            consumer.seek(tp, start);
            long position = start;
            List<ConsumerRecord<String, String>> after = new java.util.ArrayList<>(); // newer than the end, polled with it
            while (position < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    position = r.offset() + 1;
                    if (r.offset() >= end) {
                        after.add(r);
                    } else {
                        Envelope e = decode(r, pod);
                        if (e != null) history.accept(e);
                    }
                }
                position = Math.max(position, consumer.position(tp));
            }
            caughtUp.run();
            if (!follow) return;
            for (ConsumerRecord<String, String> r : after) if (!deliver(r, pod, live)) return;
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    if (!deliver(r, pod, live)) return;
                }
            }
        }
    }

    private static boolean deliver(ConsumerRecord<String, String> r, String pod, Sink live) {
        Envelope e = decode(r, pod);
        return e == null || live.test(e);
    }

    private static Envelope decode(ConsumerRecord<String, String> r, String pod) {
        if (!pod.equals(r.key()) || r.value() == null) return null;
        try {
            Envelope e = Json.decode(r.value());
            return e.data() instanceof ContainerLogs ? e : null;
        } catch (BadRecordException ignored) {
            return null; // not for us to judge: show what is readable
        }
    }

    /** The partition the producer's default partitioner puts {@code key} in (murmur2 of the key's bytes). */
    static TopicPartition partition(KafkaConsumer<?, ?> consumer, String key) {
        List<PartitionInfo> parts = consumer.partitionsFor(Topic.LOGS.topicName());
        int n = parts == null || parts.isEmpty() ? Topic.LOGS.partitions() : parts.size();
        return new TopicPartition(Topic.LOGS.topicName(), partitionOf(key, n));
    }

    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
