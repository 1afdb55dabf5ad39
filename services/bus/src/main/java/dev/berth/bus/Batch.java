package dev.berth.bus;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One polled batch of a {@link LogTail}. In a transactional consumer group, {@code nextOffsets} and
 * {@code group} go into the producer's transaction together with the batch's outputs, so that
 * consuming the batch and publishing its effects happen exactly once, or not at all.
 *
 * @param nextOffsets per partition, the offset after the batch's last record
 * @param group       the consumer group's metadata when the batch was polled (null when not in a group)
 * @param latestGroup the group's metadata now: after the member rejoined (its session expired while the broker
 *                    was away) only the new generation may commit the batch's offsets
 */
public record Batch(List<RawRecord> records, Map<TopicPartition, OffsetAndMetadata> nextOffsets, ConsumerGroupMetadata group,
                    Supplier<ConsumerGroupMetadata> latestGroup) {
    public Batch {
        records = List.copyOf(records);
        nextOffsets = Map.copyOf(nextOffsets);
        if (latestGroup == null) latestGroup = () -> group;
    }

    public Batch(List<RawRecord> records, Map<TopicPartition, OffsetAndMetadata> nextOffsets, ConsumerGroupMetadata group) {
        this(records, nextOffsets, group, null);
    }
}
