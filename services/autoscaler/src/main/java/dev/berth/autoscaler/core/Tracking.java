package dev.berth.autoscaler.core;

import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import java.time.Instant;
import java.util.List;

/**
 * One autoscaler's memory between evaluations: its recommendations (null until its first evaluation, which seeds
 * them with the current size), its scale events up and down, the scale it waits for, its last published status and
 * when, the reason of its last scale.
 */
public record Tracking(List<Recommendation> recommendations, List<ScaleEvent> upEvents, List<ScaleEvent> downEvents, Pending pending,
                       HorizontalPodAutoscalerStatus lastStatus, Instant lastPublished, String lastScaleReason) {
    public static final Tracking NEW = new Tracking(null, List.of(), List.of(), null, null, null, null);

    public Tracking {
        recommendations = recommendations == null ? null : List.copyOf(recommendations);
        upEvents = List.copyOf(upEvents);
        downEvents = List.copyOf(downEvents);
    }

    public Tracking withPending(Pending p) {
        return new Tracking(recommendations, upEvents, downEvents, p, lastStatus, lastPublished, lastScaleReason);
    }

    /** A scale of ours landed: {@code change} replicas at {@code at}; the wait is over. */
    public Tracking scaled(int change, Instant at) {
        if (change == 0) return withPending(null);
        List<ScaleEvent> up = change > 0 ? append(upEvents, new ScaleEvent(at, change)) : upEvents;
        List<ScaleEvent> down = change < 0 ? append(downEvents, new ScaleEvent(at, -change)) : downEvents;
        return new Tracking(recommendations, up, down, null, lastStatus, lastPublished, lastScaleReason);
    }

    /** A status of ours, read back from the log (rebuild) or just published. */
    public Tracking published(HorizontalPodAutoscalerStatus s) {
        return new Tracking(recommendations, upEvents, downEvents, pending, s, s.at(), s.lastScaleTime() != null ? s.reason() : lastScaleReason);
    }

    private static List<ScaleEvent> append(List<ScaleEvent> events, ScaleEvent e) {
        // Bounded: scales wait for each other, and events older than the longest policy period are pruned at each evaluation.
        List<ScaleEvent> all = new java.util.ArrayList<>(events.size() > 1000 ? events.subList(events.size() - 1000, events.size()) : events);
        all.add(e);
        return all;
    }
}
