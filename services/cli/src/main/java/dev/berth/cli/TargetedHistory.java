package dev.berth.cli;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads only what a pod's history needs from a large log: records are keyed (pod, deployment,
 * node, command id), so each lookup reads one partition per topic and decodes only the records
 * whose key matches. That keeps `berth why` fast on a log of millions of events.
 */
final class TargetedHistory {
    private final BusConfig bus;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    /** How far around a pod's creation or loss to look for the pods it replaced or that replaced it. */
    static final Duration SIBLING_WINDOW = Duration.ofSeconds(60);
    private final Map<TopicPartition, Long> starts = new HashMap<>();
    private final Set<TopicPartition> keyedPartitions = new java.util.HashSet<>();

    TargetedHistory(BusConfig bus) {
        this.bus = bus;
        Map<String, String> config = bus.consumer(null, "berth-why");
        config.put("max.partition.fetch.bytes", Integer.toString(8 << 20)); // scans: fewer, larger fetches
        config.put("max.poll.records", "20000");
        this.consumer = new KafkaConsumer<>(bus.props(config));
    }

    /**
     * The pod's events and everything its causal chain can reach, decoded. Two rounds of reads: the
     * pod's own partitions, then every partition its deployment, nodes and commands lead to, at once.
     */
    List<Envelope> gather(String pod) {
        try {
            Map<TopicPartition, Predicate<RawRecord>> first = new HashMap<>();
            for (Topic t : List.of(Topic.PODS, Topic.POD_STATUS, Topic.SCHEDULING)) want(first, t, pod, r -> true);
            List<LogSource.Entry> ownEntries = read(first);
            List<Envelope> own = envelopes(ownEntries);
            Set<String> deployments = new LinkedHashSet<>(), nodes = new LinkedHashSet<>(), commands = new LinkedHashSet<>();
            for (Envelope e : own) {
                if (e.data() instanceof PodCreated c) deployments.add(c.deploymentKey()); // the key of its records: namespace/name
                if (e.data() instanceof PodStatusChanged s) nodes.add(s.node());
                if (e.data() instanceof dev.berth.bus.contract.PodLost l) nodes.add(l.node());
                if (e.correlationId() != null) commands.add(e.correlationId());
            }
            String podMarker = "\"pod\":\"" + pod + "\"";
            Map<TopicPartition, Predicate<RawRecord>> second = new HashMap<>();
            if (nodes.isEmpty()) everywhere(second, Topic.PLACEMENTS, r -> r.value().contains(podMarker)); // placed, never reported
            for (String node : nodes) {
                want(second, Topic.PLACEMENTS, node, r -> r.value().contains(podMarker));
                want(second, Topic.NODES, node, r -> true);
            }
            for (String deployment : deployments) {
                want(second, Topic.DEPLOYMENTS, deployment, r -> true);
                want(second, Topic.COMMANDS, deployment, r -> true);
            }
            // Losses and creations of sibling pods (who replaced whom) happen within moments of each
            // other: only the pods topic around this pod's creation and loss is scanned.
            for (Envelope e : own) {
                if (!(e.data() instanceof PodCreated) && !(e.data() instanceof dev.berth.bus.contract.PodLost)) continue;
                String marker = "\"deployment\":\"" + dev.berth.bus.contract.Namespaces.nameOf(deployments.iterator().next()) + "\"";
                window(second, Topic.PODS, e.time().minus(SIBLING_WINDOW), e.time().plus(SIBLING_WINDOW), r -> r.value().contains(marker)
                        && (r.value().contains("\"PodLost\"") || r.value().contains("\"PodCreated\"")));
            }
            for (String command : commands) want(second, Topic.COMMAND_RESULTS, command, r -> true);
            Set<LogSource.Entry> found = new LinkedHashSet<>(ownEntries);
            found.addAll(read(second));
            if (nodes.isEmpty()) {
                // Now that the placement named the node, its status history belongs to the chain too.
                Map<TopicPartition, Predicate<RawRecord>> third = new HashMap<>();
                found.stream().map(LogSource.Entry::envelope).filter(e -> e.data() instanceof PodPlaced)
                        .forEach(e -> want(third, Topic.NODES, ((PodPlaced) e.data()).node(), r -> true));
                if (!third.isEmpty()) found.addAll(read(third));
            }
            // The one order every reading command folds in: each partition's log order, merged by record time.
            Map<RawRecord, Envelope> byRecord = new HashMap<>();
            found.forEach(e -> byRecord.put(e.record(), e.envelope()));
            return dev.berth.bus.LogOrder.byTime(new ArrayList<>(byRecord.keySet())).stream().map(byRecord::get).toList();
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** Adds a key's partition of a topic, keeping records of that key that {@code keep} accepts (or-ed with earlier wants). */
    private void want(Map<TopicPartition, Predicate<RawRecord>> reads, Topic topic, String key, Predicate<RawRecord> keep) {
        Predicate<RawRecord> mine = r -> key.equals(r.key()) && keep.test(r);
        TopicPartition tp = new TopicPartition(topic.topicName(), partitionOf(topic, key));
        keyedPartitions.add(tp);
        reads.merge(tp, mine, Predicate::or);
    }

    private void everywhere(Map<TopicPartition, Predicate<RawRecord>> reads, Topic topic, Predicate<RawRecord> keep) {
        for (int p = 0; p < partitions(topic); p++) reads.merge(new TopicPartition(topic.topicName(), p), keep, Predicate::or);
    }

    /** Every partition of a topic, but only its records from {@code from} to {@code to} (by record time). */
    private void window(Map<TopicPartition, Predicate<RawRecord>> reads, Topic topic, java.time.Instant from, java.time.Instant to,
                        Predicate<RawRecord> keep) {
        long a = from.toEpochMilli(), b = to.toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        for (int p = 0; p < partitions(topic); p++) {
            TopicPartition tp = new TopicPartition(topic.topicName(), p);
            reads.merge(tp, r -> r.timestamp() >= a && r.timestamp() <= b && keep.test(r), Predicate::or);
            query.put(tp, a);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(query.keySet(), Duration.ofSeconds(10));
        consumer.offsetsForTimes(query, Duration.ofSeconds(10)).forEach((tp, found) ->
                starts.merge(tp, found == null ? end.get(tp) : found.offset(), Math::min));
    }

    private static List<Envelope> envelopes(List<LogSource.Entry> entries) { return entries.stream().map(LogSource.Entry::envelope).toList(); }

    private List<LogSource.Entry> read(Map<TopicPartition, Predicate<RawRecord>> reads) {
        List<TopicPartition> partitions = new ArrayList<>(reads.keySet());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // A partition read only for a time window starts there (unless a keyed read needs all of it).
        for (TopicPartition tp : partitions) {
            if (starts.containsKey(tp) && !keyedPartitions.contains(tp)) consumer.seek(tp, starts.get(tp));
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        List<LogSource.Entry> out = new ArrayList<>();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            for (ConsumerRecord<String, String> c : consumer.poll(Duration.ofMillis(100))) {
                RawRecord r = new RawRecord(c.topic(), c.partition(), c.offset(), c.timestamp(), c.key(), c.value());
                if (!reads.get(new TopicPartition(c.topic(), c.partition())).test(r)) continue;
                try {
                    out.add(new LogSource.Entry(r, Json.decode(r.value())));
                } catch (BadRecordException ignored) {
                    // not an event
                }
            }
        }
        return out;
    }

    private int partitionOf(Topic topic, String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions(topic);
    }

    /** Partition counts of every topic, from one metadata request. */
    private int partitions(Topic topic) {
        if (partitionCounts.isEmpty()) {
            consumer.listTopics(Duration.ofSeconds(10)).forEach((name, infos) -> partitionCounts.put(name, infos.size()));
        }
        Integer count = partitionCounts.get(topic.topicName());
        if (count == null) throw new IllegalStateException("topic " + topic.topicName() + " does not exist: is this a Berth cluster?");
        return count;
    }
}
