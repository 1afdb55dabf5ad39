package dev.berth.controller;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Json;
import dev.berth.bus.LogOrder;
import dev.berth.bus.LogReader;
import dev.berth.bus.RawRecord;
import dev.berth.bus.RecordLimits;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.controller.core.ControllerState;
import dev.berth.controller.core.EventAppliers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the controller's state at start (blocking): folds its own topics, the placements and the
 * pod statuses, the Services, the autoscalers and the Jobs from the beginning, and the nodes' recent heartbeats, through the same appliers live
 * processing uses. Node statuses come back from berth.nodes, so a restart neither forgets a cordon
 * nor announces every node again; what pod events answer (their causes) comes back with the
 * deployment events that are part of the state.
 */
final class StateRebuild {
    private static final Logger log = LoggerFactory.getLogger(StateRebuild.class);

    /** What other services report about pods: where they were placed and how they run. */
    static final List<Topic> POD_REPORTS = List.of(Topic.POD_STATUS, Topic.PLACEMENTS);
    static final List<Topic> FROM_BEGINNING = List.of(Topic.DEPLOYMENTS, Topic.PODS, Topic.NODES, Topic.COMMAND_RESULTS,
            Topic.POD_STATUS, Topic.PLACEMENTS, Topic.SERVICES, Topic.AUTOSCALERS,
            Topic.CONFIG_MAPS, Topic.SECRETS, Topic.JOBS);

    /**
     * @param podReportsFrom where to follow berth.pod-status and berth.placements from
     * @param heartbeatsFrom where to follow berth.node-heartbeats from
     */
    record Rebuilt(ControllerState state, Map<TopicPartition, Long> podReportsFrom,
                   Map<TopicPartition, Long> heartbeatsFrom, int records, int unreadable) {}

    private StateRebuild() {}

    static Rebuilt run(BusConfig bus, Instant heartbeatsSince) { return run(bus, heartbeatsSince, ControllerState.empty()); }

    /**
     * {@code empty}: the state to fold into, with the Services' address ranges. berth.endpoints is not read:
     * the first resync publishes every record again.
     */
    static Rebuilt run(BusConfig bus, Instant heartbeatsSince, ControllerState empty) {
        List<RawRecord> records = new ArrayList<>();
        Map<TopicPartition, Long> ends = LogReader.readAll(bus, FROM_BEGINNING, records::add);
        Map<TopicPartition, Long> heartbeatEnds = LogReader.readAll(bus, List.of(Topic.NODE_HEARTBEATS), t -> heartbeatsSince, records::add);
        Folded folded = fold(empty, records, Instant.now());
        return new Rebuilt(folded.state, ends, heartbeatEnds, records.size(), folded.unreadable);
    }

    record Folded(ControllerState state, int unreadable) {}

    /**
     * Pure part of the rebuild: decode, order by time, fold. Records the live loop would set aside
     * (too large, unreadable, invalid) are skipped: they were set aside when first read. A heartbeat
     * counts as received when the broker stored it, never later than {@code now}: a node's clock
     * takes no part in its liveness.
     */
    static Folded fold(List<RawRecord> records, Instant now) { return fold(ControllerState.empty(), records, now); }

    static Folded fold(ControllerState empty, List<RawRecord> records, Instant now) {
        List<Envelope> envelopes = new ArrayList<>(records.size());
        int unreadable = 0;
        for (RawRecord r : LogOrder.byTime(records)) {
            try {
                // The live loop's own door: what it set aside, the rebuild skips.
                Envelope env = ServiceLoop.admit(r, java.util.Set.of(), RecordLimits.defaults());
                if (env.data() instanceof NodeHeartbeat) env = receivedAt(env, r, now);
                envelopes.add(env);
            } catch (BadRecordException e) {
                unreadable++;
                log.warn("[controller rebuild] skipping unreadable record {}: {}", r.position(), e.getMessage());
            }
        }
        return new Folded(EventAppliers.fold(empty, envelopes), unreadable);
    }

    private static Envelope receivedAt(Envelope env, RawRecord r, Instant now) {
        Instant stored = r.timestamp() > 0 ? Instant.ofEpochMilli(r.timestamp()) : env.time();
        Instant at = stored.isAfter(now) ? now : stored;
        return new Envelope(env.id(), env.type(), env.version(), at, env.source(), env.correlationId(), env.causationId(), env.data());
    }
}
