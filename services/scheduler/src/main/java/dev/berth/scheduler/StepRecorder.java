package dev.berth.scheduler;

import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.bus.contract.SchedulingStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Tracks which input records the scheduler has applied, and turns each batch of decisions into a
 * {@link SchedulingStep}: the inputs applied since the previous step, the trigger, the time.
 */
final class StepRecorder {
    /** A batch of input records was applied, then a cycle ran. */
    static final String BATCH = "batch";
    /** The previous cycle stopped at its limit; this one went on, with no new inputs of its own. */
    static final String CONTINUE = "continue";
    /** The periodic resync. */
    static final String TIMER = "timer";
    static final String KEY = "scheduler";

    private final String incarnation;
    private SchedulingStep.Start start;
    private long sequence;
    private final Map<String, Long> applied = new HashMap<>();
    private final Map<String, Long> recorded = new HashMap<>();

    StepRecorder(String incarnation, SchedulingStep.Start start) {
        this.incarnation = incarnation;
        this.start = start;
    }

    void applied(RawRecord r) {
        applied.put(r.topic() + "-" + r.partition(), r.offset() + 1);
    }

    Outbound step(Instant now, String trigger, List<Outbound> decided) {
        Map<String, Long> advanced = new TreeMap<>();
        applied.forEach((partition, next) -> {
            if (!next.equals(recorded.get(partition))) advanced.put(partition, next);
        });
        recorded.putAll(advanced);
        SchedulingStep step = new SchedulingStep(incarnation, ++sequence, now, trigger, advanced, start, decisions(decided));
        start = null;
        return new Outbound(Topic.SCHEDULING, KEY, step);
    }

    static List<String> decisions(List<Outbound> decided) {
        List<String> out = new ArrayList<>(decided.size());
        for (Outbound o : decided) {
            String d = describe(o.payload());
            if (d != null) out.add(d);
        }
        return out;
    }

    static String describe(Payload p) {
        if (p instanceof PodPlaced e) return "PodPlaced " + e.pod() + " " + e.node();
        if (p instanceof PodUnschedulable e) return "PodUnschedulable " + e.pod();
        if (p instanceof PodReleased e) return "PodReleased " + e.pod() + " " + e.node();
        return null;
    }

    static Map<String, Long> names(Map<TopicPartition, Long> offsets) {
        Map<String, Long> out = new TreeMap<>();
        offsets.forEach((tp, offset) -> out.put(tp.topic() + "-" + tp.partition(), offset));
        return out;
    }
}
