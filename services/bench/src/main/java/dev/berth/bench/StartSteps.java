package dev.berth.bench;

import dev.berth.bench.EventObserver.PodTimes;

/**
 * Apply → Running of pods on a real node, and the steps in between as their events reached the log:
 * command → PodCreated (controller), PodCreated → PodPlaced (scheduler; includes waiting for the
 * controller's transaction to commit), PodPlaced → Starting (the node agent took it), Starting →
 * Running (runc, waiting for a free worker included).
 */
final class StartSteps {
    record Summaries(Latencies.Summary total, Latencies.Summary controller, Latencies.Summary scheduler, Latencies.Summary agent,
                     Latencies.Summary runc) {
        static final Summaries NONE = new Summaries(Latencies.Summary.NONE, Latencies.Summary.NONE, Latencies.Summary.NONE,
                Latencies.Summary.NONE, Latencies.Summary.NONE);
    }

    private final Latencies total = new Latencies(), controller = new Latencies(), scheduler = new Latencies(),
            agent = new Latencies(), runc = new Latencies();
    private int running, correlated;

    void add(PodTimes p, Commands.Sent command) {
        long commandMicros = command.timeMicros();
        if (p.runningAt >= 0) running++;
        if (p.runningAt >= 0 && command.id().equals(p.runningCorrelation)) correlated++;
        if (p.runningAt >= 0) total.record(p.runningAt * 1000 - commandMicros);
        if (p.createdAt >= 0) controller.record(p.createdAt * 1000 - commandMicros);
        if (p.createdAt >= 0 && p.placedAt >= 0) scheduler.record((p.placedAt - p.createdAt) * 1000);
        if (p.placedAt >= 0 && p.startingAt >= 0) agent.record((p.startingAt - p.placedAt) * 1000);
        if (p.startingAt >= 0 && p.runningAt >= 0) runc.record((p.runningAt - p.startingAt) * 1000);
    }

    /** "n of m": how many of the pods' Running carried their command's correlation id. */
    String correlated() {
        return correlated + " of " + running;
    }

    Summaries summaries() {
        return new Summaries(total.summary(), controller.summary(), scheduler.summary(), agent.summary(), runc.summary());
    }
}
