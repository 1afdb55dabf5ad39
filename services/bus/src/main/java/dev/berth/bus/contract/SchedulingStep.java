package dev.berth.bus.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler needs to reproduce one of its decisions: published (on berth.scheduling, key
 * {@code scheduler}, so steps keep their order) in the same transaction as the decisions themselves.
 * Replay folds the recorded inputs up to each step's position and re-runs the scheduler core with
 * the step's {@code now}.
 *
 * @param incarnation the scheduler process run the step belongs to
 * @param sequence    1, 2, 3 … within the incarnation
 * @param now         the time the core was given
 * @param trigger     the input record that led to the decisions ({@code topic-partition@offset}), or {@code timer}
 * @param advanced    per input partition ({@code topic-partition}), the next offset to apply, for the
 *                    partitions that moved since the previous step of the incarnation
 * @param start       set on an incarnation's first step: where its state came from
 * @param decisions   what the step decided, in order: {@code PodPlaced pod node}, {@code PodUnschedulable pod},
 *                    {@code PodReleased pod node}
 */
public record SchedulingStep(String incarnation, long sequence, Instant now, String trigger, Map<String, Long> advanced,
                             Start start, List<String> decisions) implements Event {
    public SchedulingStep {
        advanced = advanced == null ? Map.of() : Map.copyOf(advanced);
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    /**
     * @param rebuiltTo      per partition, the offsets up to which the incarnation rebuilt its state at start
     * @param heartbeatsFrom per heartbeat partition, where it started reading heartbeats
     * @param holdUntil      no decisions before this time (the warm-up)
     * @param policy         the scheduling policy in force
     */
    public record Start(Map<String, Long> rebuiltTo, Map<String, Long> heartbeatsFrom, Instant holdUntil, String policy) {
        public Start {
            rebuiltTo = rebuiltTo == null ? Map.of() : Map.copyOf(rebuiltTo);
            heartbeatsFrom = heartbeatsFrom == null ? Map.of() : Map.copyOf(heartbeatsFrom);
        }
    }
}
