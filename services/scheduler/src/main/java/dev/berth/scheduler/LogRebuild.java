package dev.berth.scheduler;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.RecordLimits;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.scheduler.core.Rebuild;
import dev.berth.scheduler.core.SchedulerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the scheduler's topics from the beginning and folds them into state (blocking). */
final class LogRebuild {
    private static final Logger log = LoggerFactory.getLogger(LogRebuild.class);
    static final List<Topic> TOPICS = List.of(Topic.PLACEMENTS, Topic.PODS, Topic.POD_STATUS, Topic.SCHEDULING, Topic.NODES);

    /**
     * @param creations    each pending pod's PodCreated envelope: the cause its placement will name
     * @param endOffsets   where reading stopped; live input continues from there
     */
    record Rebuilt(SchedulerState state, Map<String, Envelope> creations, Map<TopicPartition, Long> endOffsets,
                   int records, int skipped) {}

    private LogRebuild() {}

    static Rebuilt read(BusConfig bus) {
        List<RawRecord> records = new ArrayList<>();
        Map<TopicPartition, Long> ends = LogReader.readAll(bus, TOPICS, records::add);
        return fold(records, ends);
    }

    /** Folds records of {@link #TOPICS} (read from the broker, or from a recorded log for replay) into state. */
    static Rebuilt fold(List<RawRecord> records, Map<TopicPartition, Long> ends) {
        Map<Topic, List<RawRecord>> byTopic = new EnumMap<>(Topic.class);
        for (RawRecord r : records) {
            if (TOPICS.contains(Topic.byName(r.topic()))) byTopic.computeIfAbsent(Topic.byName(r.topic()), t -> new ArrayList<>()).add(r);
        }
        int[] counts = new int[2];
        Map<String, Envelope> creations = new HashMap<>();
        Map<Topic, List<Payload>> events = new EnumMap<>(Topic.class);
        for (Topic topic : TOPICS) {
            List<Payload> payloads = new ArrayList<>();
            for (RawRecord r : inArrivalOrder(byTopic.getOrDefault(topic, List.of()))) {
                counts[0]++;
                try {
                    // What the live loop would set aside does not count here either.
                    Envelope env = ServiceLoop.admit(r, java.util.Set.of(), RecordLimits.defaults());
                    payloads.add(env.data());
                    if (env.data() instanceof PodCreated c) creations.putIfAbsent(c.pod(), env);
                } catch (BadRecordException e) {
                    // Set aside when it was first consumed; here it only cannot count.
                    counts[1]++;
                    log.debug("[scheduler rebuild record={}] skipped: {}", r.position(), e.getMessage());
                }
            }
            events.put(topic, payloads);
        }
        SchedulerState state = Rebuild.fold(events.get(Topic.PLACEMENTS), events.get(Topic.PODS),
                events.get(Topic.POD_STATUS), events.get(Topic.SCHEDULING), events.get(Topic.NODES));
        creations.keySet().removeIf(pod -> state.pending(pod) == null);
        return new Rebuilt(state, creations, ends, counts[0], counts[1]);
    }

    /**
     * Interleaves a topic's partitions by record time while keeping each partition's own order
     * (a partition's clock is made monotonic first), so pending pods keep roughly their arrival order.
     */
    static List<RawRecord> inArrivalOrder(List<RawRecord> records) {
        record Timed(RawRecord r, long time) {}
        Map<Integer, Long> latest = new HashMap<>();
        List<Timed> timed = new ArrayList<>(records.size());
        List<RawRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(RawRecord::partition).thenComparingLong(RawRecord::offset));
        for (RawRecord r : sorted) {
            long t = Math.max(r.timestamp(), latest.getOrDefault(r.partition(), Long.MIN_VALUE));
            latest.put(r.partition(), t);
            timed.add(new Timed(r, t));
        }
        timed.sort(Comparator.comparingLong(Timed::time)
                .thenComparingInt(t -> t.r().partition()).thenComparingLong(t -> t.r().offset()));
        return timed.stream().map(Timed::r).toList();
    }
}
