package dev.berth.controller;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogOrder;
import dev.berth.bus.LogReader;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.controller.core.ControllerState;
import dev.berth.controller.core.EventAppliers;
import dev.berth.controller.core.Outputs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the controller's state at start (blocking): folds its own topics, the placements and the
 * pod statuses from the beginning, and the nodes' recent heartbeats, through the same appliers live
 * processing uses. Node statuses come back from berth.nodes, so a restart neither forgets a cordon
 * nor announces every node again.
 */
final class StateRebuild {
    private static final Logger log = LoggerFactory.getLogger(StateRebuild.class);

    /** What other services report about pods: where they were placed and how they run. */
    static final List<Topic> POD_REPORTS = List.of(Topic.POD_STATUS, Topic.PLACEMENTS);
    static final List<Topic> FROM_BEGINNING = List.of(Topic.DEPLOYMENTS, Topic.PODS, Topic.NODES, Topic.COMMAND_RESULTS,
            Topic.POD_STATUS, Topic.PLACEMENTS);

    /**
     * @param deploymentCauses per deployment, the envelope of its latest event: the cause of the pod events it leads to
     * @param podReportsFrom   where to follow berth.pod-status and berth.placements from
     * @param heartbeatsFrom   where to follow berth.node-heartbeats from
     */
    record Rebuilt(ControllerState state, Map<String, Envelope> deploymentCauses, Map<TopicPartition, Long> podReportsFrom,
                   Map<TopicPartition, Long> heartbeatsFrom, int records, int unreadable) {}

    private StateRebuild() {}

    static Rebuilt run(BusConfig bus, Instant heartbeatsSince) {
        List<RawRecord> records = new ArrayList<>();
        Map<TopicPartition, Long> ends = LogReader.readAll(bus, FROM_BEGINNING, records::add);
        Map<TopicPartition, Long> heartbeatEnds = LogReader.readAll(bus, List.of(Topic.NODE_HEARTBEATS), t -> heartbeatsSince, records::add);
        Folded folded = fold(records);
        return new Rebuilt(folded.state, folded.deploymentCauses, ends, heartbeatEnds, records.size(), folded.unreadable);
    }

    record Folded(ControllerState state, Map<String, Envelope> deploymentCauses, int unreadable) {}

    /** Pure part of the rebuild: decode, order by time, fold. Unreadable records are skipped (their writer answers for them). */
    static Folded fold(List<RawRecord> records) {
        List<Envelope> envelopes = new ArrayList<>(records.size());
        int unreadable = 0;
        for (RawRecord r : LogOrder.byTime(records)) {
            try {
                envelopes.add(Json.decode(r.value()));
            } catch (BadRecordException e) {
                unreadable++;
                log.warn("[controller rebuild] skipping unreadable record {}: {}", r.position(), e.getMessage());
            }
        }
        Map<String, Envelope> causes = new HashMap<>();
        for (Envelope env : envelopes) {
            if (env.data() instanceof DeploymentApplied || env.data() instanceof DeploymentScaled
                    || env.data() instanceof DeploymentDeleted) {
                causes.put(Outputs.deploymentOf(env.data()), env);
            }
        }
        return new Folded(EventAppliers.fold(ControllerState.empty(), envelopes), causes, unreadable);
    }
}
