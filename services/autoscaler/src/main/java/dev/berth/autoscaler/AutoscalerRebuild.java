package dev.berth.autoscaler;

import dev.berth.autoscaler.core.AutoscalerState;
import dev.berth.autoscaler.core.Fold;
import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.LogOrder;
import dev.berth.bus.LogReader;
import dev.berth.bus.RawRecord;
import dev.berth.bus.RecordLimits;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.pcollections.HashTreePSet;

/**
 * Reads what the autoscaler knows from the log (blocking) and folds it with the live loop's appliers: autoscalers,
 * Deployments, pods and their status, and its own last statuses from the beginning; resource and proxy metrics only
 * from a recent time, since older samples count as missing. Records are folded in time order across topics, so a
 * pod is known before its samples and a scale lands after the autoscaler that asked for it.
 */
final class AutoscalerRebuild {
    /** Read from the beginning, then live from where the rebuild stopped. */
    static final List<Topic> STATE = List.of(Topic.AUTOSCALERS, Topic.DEPLOYMENTS, Topic.PODS, Topic.POD_STATUS);
    /** Read from the lookback's start, then live. */
    static final List<Topic> METRICS = List.of(Topic.RESOURCE_METRICS, Topic.PROXY_METRICS);

    /**
     * @param stateFrom   where the live loop reads {@link #STATE} on
     * @param metricsFrom where it reads {@link #METRICS} on
     */
    record Rebuilt(AutoscalerState state, Map<TopicPartition, Long> stateFrom, Map<TopicPartition, Long> metricsFrom,
                   int records, int skipped) {}

    private AutoscalerRebuild() {}

    static Rebuilt read(BusConfig bus, Instant metricsSince) {
        List<RawRecord> records = new ArrayList<>();
        List<Topic> topics = new ArrayList<>(STATE);
        topics.addAll(METRICS);
        topics.add(Topic.AUTOSCALER_STATUS);
        Map<TopicPartition, Long> ends = LogReader.readAll(bus, topics, t -> METRICS.contains(t) ? metricsSince : null, records::add);
        return fold(records, ends);
    }

    static Rebuilt fold(List<RawRecord> records, Map<TopicPartition, Long> ends) {
        AutoscalerState state = AutoscalerState.EMPTY;
        int skipped = 0;
        for (RawRecord r : LogOrder.byTime(records)) {
            try {
                // What the live loop would set aside does not count here either.
                state = Fold.apply(state, ServiceLoop.admit(r, Set.of(), RecordLimits.defaults()));
            } catch (BadRecordException e) {
                skipped++;
            }
        }
        Map<TopicPartition, Long> stateFrom = new HashMap<>(), metricsFrom = new HashMap<>();
        ends.forEach((tp, offset) -> {
            Topic topic = Topic.byName(tp.topic());
            if (STATE.contains(topic)) stateFrom.put(tp, offset);
            else if (METRICS.contains(topic)) metricsFrom.put(tp, offset);
        });
        // Everything is evaluated on the first tick; nothing is owed to a batch.
        return new Rebuilt(state.withDirty(HashTreePSet.empty()), stateFrom, metricsFrom, records.size(), skipped);
    }
}
