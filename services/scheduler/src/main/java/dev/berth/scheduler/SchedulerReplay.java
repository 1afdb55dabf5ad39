package dev.berth.scheduler;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.RecordLimits;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogOrder;
import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.SchedulingStep;
import dev.berth.scheduler.core.Processors;
import dev.berth.scheduler.core.SchedulerState;
import dev.berth.scheduler.core.SchedulingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Re-runs the scheduler core over exactly the inputs it saw, as its {@link SchedulingStep}s recorded
 * them: for every incarnation, the state it rebuilt at start; for every step, the input records
 * applied since the previous step and the time, then one cycle (or the periodic resync). With the recorded policy the replay
 * must decide exactly as the scheduler did; with another it shows what that policy would have done.
 * Each scheduler restart re-bases on the recorded log, as the real scheduler did. Pure: no Kafka.
 */
public final class SchedulerReplay {
    private SchedulerReplay() {}

    /** The topics replay reads. */
    public static final List<Topic> TOPICS = List.of(Topic.PODS, Topic.POD_STATUS, Topic.NODES, Topic.NODE_HEARTBEATS,
            Topic.PLACEMENTS, Topic.SCHEDULING);

    /** A pod the replay placed differently; {@code null} node = unschedulable. */
    public record Difference(String pod, String recordedNode, String replayedNode, PodPlaced recorded, PodPlaced replayed) {}

    /** Nodes used and the share of their cpu left free (stranded capacity: fragmentation). */
    public record Summary(int nodesUsed, int podsBound, double freeCpuOnUsedNodes) {}

    public record Result(String policy, int steps, int decisions, List<Difference> differences, Summary recorded, Summary replayed) {}

    /**
     * @param policy null for the recorded policy
     * @param from   only steps at or after this time are compared (earlier ones still build state)
     * @param to     only steps at or before this time are replayed
     */
    public static Result run(List<RawRecord> log, SchedulingPolicy policy, Instant from, Instant to, Duration nodeStaleness) {
        Map<String, TreeMap<Long, RawRecord>> byPartition = new HashMap<>();
        Map<String, Envelope> decoded = new HashMap<>();
        List<SchedulingStep> steps = new ArrayList<>();
        Map<String, PodPlaced> recordedPlacements = new HashMap<>();
        for (RawRecord r : log) {
            byPartition.computeIfAbsent(r.topic() + "-" + r.partition(), p -> new TreeMap<>()).put(r.offset(), r);
            Envelope e = decode(r);
            if (e == null) continue;
            decoded.put(r.position(), e);
            if (e.data() instanceof PodPlaced p) recordedPlacements.putIfAbsent(p.pod(), p);
        }
        for (RawRecord r : sorted(byPartition, Topic.SCHEDULING)) {
            Envelope e = decoded.get(r.position());
            if (e != null && e.data() instanceof SchedulingStep s) steps.add(s);
        }

        Map<String, String> recordedNode = new LinkedHashMap<>();
        Map<String, String> replayedNode = new LinkedHashMap<>();
        Map<String, PodPlaced> replayedPlacements = new HashMap<>();
        Processors core = null;
        Map<String, Long> applied = new HashMap<>();
        String incarnation = null;
        String usedPolicy = policy == null ? null : policy.name();
        int compared = 0, stepCount = 0;
        for (SchedulingStep step : steps) {
            if (to != null && step.now().isAfter(to)) break;
            if (!step.incarnation().equals(incarnation)) {
                if (step.start() == null) continue; // the incarnation's first step fell out of the log's retention
                incarnation = step.incarnation();
                SchedulingPolicy p = policy != null ? policy : SchedulingPolicy.valueOf(step.start().policy());
                usedPolicy = p.name();
                core = Processors.standard(rebuild(byPartition, step.start().rebuiltTo()), p, nodeStaleness);
                core.holdUntil(step.start().holdUntil());
                applied = new HashMap<>(step.start().rebuiltTo());
                applied.putAll(step.start().heartbeatsFrom());
            }
            List<RawRecord> delta = new ArrayList<>();
            for (var advanced : step.advanced().entrySet()) {
                TreeMap<Long, RawRecord> partition = byPartition.getOrDefault(advanced.getKey(), new TreeMap<>());
                long start = applied.getOrDefault(advanced.getKey(), 0L);
                delta.addAll(partition.subMap(start, advanced.getValue()).values());
                applied.put(advanced.getKey(), advanced.getValue());
            }
            // As live: the step's inputs are applied, then one cycle decides.
            for (RawRecord r : LogOrder.byTime(delta)) apply(core, decoded.get(r.position()), step.now());
            List<Outbound> outputs = StepRecorder.TIMER.equals(step.trigger()) ? core.resync(step.now()) : core.cycle(step.now());

            if (from != null && step.now().isBefore(from)) continue;
            stepCount++;
            for (String d : step.decisions()) {
                String[] parts = d.split(" ");
                if (parts[0].equals("PodPlaced")) recordedNode.put(parts[1], parts[2]);
                else if (parts[0].equals("PodUnschedulable")) recordedNode.putIfAbsent(parts[1], null);
                compared++;
            }
            for (Outbound o : outputs) {
                if (o.payload() instanceof PodPlaced placed) {
                    replayedNode.put(placed.pod(), placed.node());
                    replayedPlacements.put(placed.pod(), placed);
                } else if (o.payload() instanceof dev.berth.bus.contract.PodUnschedulable u) {
                    replayedNode.putIfAbsent(u.pod(), null);
                }
            }
        }
        List<Difference> differences = new ArrayList<>();
        for (String pod : new TreeSet<>(unionKeys(recordedNode, replayedNode))) {
            String before = recordedNode.get(pod), after = replayedNode.get(pod);
            if (!Objects.equals(before, after)) {
                differences.add(new Difference(pod, before, after, recordedPlacements.get(pod), replayedPlacements.get(pod)));
            }
        }
        SchedulerState finalState = core == null ? new SchedulerState() : core.state();
        return new Result(usedPolicy, stepCount, compared, differences,
                summary(recordedNode, finalState, recordedPlacements), summary(replayedNode, finalState, replayedPlacements));
    }

    private static void apply(Processors core, Envelope e, Instant now) {
        if (e == null) return; // set aside live too
        try {
            core.apply(e.data(), e.time(), now);
        } catch (RuntimeException refused) {
            // set aside live too
        }
    }

    /** The state an incarnation rebuilt at start: the same fold, over the records it had read. */
    private static SchedulerState rebuild(Map<String, TreeMap<Long, RawRecord>> byPartition, Map<String, Long> rebuiltTo) {
        List<RawRecord> records = new ArrayList<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        rebuiltTo.forEach((partition, end) -> {
            records.addAll(byPartition.getOrDefault(partition, new TreeMap<>()).headMap(end).values());
            int dash = partition.lastIndexOf('-');
            ends.put(new TopicPartition(partition.substring(0, dash), Integer.parseInt(partition.substring(dash + 1))), end);
        });
        return LogRebuild.fold(records, ends).state();
    }

    private static List<RawRecord> sorted(Map<String, TreeMap<Long, RawRecord>> byPartition, Topic topic) {
        List<RawRecord> out = new ArrayList<>();
        byPartition.forEach((partition, records) -> {
            if (partition.startsWith(topic.topicName() + "-")) out.addAll(records.values());
        });
        out.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
        return out;
    }

    private static Summary summary(Map<String, String> nodeOfPod, SchedulerState state, Map<String, PodPlaced> placements) {
        Map<String, Long> usedCpu = new HashMap<>();
        int bound = 0;
        for (var e : nodeOfPod.entrySet()) {
            if (e.getValue() == null) continue;
            bound++;
            PodPlaced p = placements.get(e.getKey());
            usedCpu.merge(e.getValue(), p == null ? 0 : p.template().resources().requested().cpuMillis(), Long::sum);
        }
        long capacity = 0, used = 0;
        for (var e : usedCpu.entrySet()) {
            SchedulerState.Node node = state.node(e.getKey());
            NodeResources c = node == null ? null : node.capacity();
            if (c == null) continue;
            capacity += c.cpuMillis();
            used += e.getValue();
        }
        return new Summary(usedCpu.size(), bound, capacity == 0 ? 0 : (capacity - used) / (double) capacity);
    }

    private static java.util.Set<String> unionKeys(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    /** Inputs as the live loop admitted them (a record it set aside is skipped here too); its own records as written. */
    private static Envelope decode(RawRecord r) {
        try {
            return SchedulerCore.INPUTS.contains(Topic.byName(r.topic()))
                    ? ServiceLoop.admit(r, java.util.Set.of(), RecordLimits.defaults()) : Json.decode(r.value());
        } catch (BadRecordException | IllegalArgumentException e) {
            return null;
        }
    }
}
