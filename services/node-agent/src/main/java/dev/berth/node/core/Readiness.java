package dev.berth.node.core;

import dev.berth.bus.contract.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One kind of probe (readiness, liveness or startup) over a node's running containers, as the kubelet's prober
 * runs them, pure (time is data): a container does not pass until {@code successThreshold} consecutive successes
 * after it started (none before {@code initialDelaySeconds}) unless it starts passing (liveness, as the kubelet's
 * initial Success); {@code failureThreshold} consecutive failures make it fail again; a success resets the
 * failures and a failure the successes. One probe at a time per container, each due {@code periodSeconds} after
 * the last one began. A restart starts over: each run is its own entry. A finished entry (a startup probe that
 * succeeded) is kept but never due.
 */
public record Readiness(Map<String, Probing> pods) {

    public static final Readiness NONE = new Readiness(Map.of());

    public Readiness {
        pods = java.util.Collections.unmodifiableMap(new TreeMap<>(pods));
    }

    /**
     * One container run's probing.
     *
     * @param restarts the run (the pod's restart count when it started): a result of an earlier run is stale
     * @param dueAt    when the next probe may start
     * @param inFlight a probe runs now; its result is awaited before the next starts
     */
    public record Probing(Probe probe, int restarts, Instant startedAt, Instant dueAt, int successes, int failures,
                          boolean ready, boolean inFlight, boolean done) {

        static Probing start(Probe probe, int restarts, Instant startedAt, boolean passing) {
            return new Probing(probe, restarts, startedAt, startedAt.plusSeconds(probe.initialDelaySeconds()), 0, 0, passing, false, false);
        }

        boolean dueBy(Instant now) { return !inFlight && !done && !now.isBefore(dueAt); }

        /** {@code failureThreshold} failures in a row: a liveness or startup probe now restarts the container. */
        public boolean failed() { return failures >= probe.failureThreshold(); }

        Probing probing(Instant now) {
            return new Probing(probe, restarts, startedAt, now.plus(Duration.ofSeconds(probe.periodSeconds())), successes, failures, ready, true, done);
        }

        Probing result(boolean success) {
            if (success) {
                int s = successes + 1;
                return new Probing(probe, restarts, startedAt, dueAt, s, 0, ready || s >= probe.successThreshold(), false, done);
            }
            int f = failures + 1;
            return new Probing(probe, restarts, startedAt, dueAt, 0, f, ready && f < probe.failureThreshold(), false, done);
        }

        Probing finished() { return new Probing(probe, restarts, startedAt, dueAt, successes, failures, ready, false, true); }
    }

    /** Whether {@code pod} passes its probe; null: it is not probed (no probe, or its container does not run). */
    public Boolean ready(String pod) {
        Probing p = pods.get(pod);
        return p == null ? null : p.ready();
    }

    /** {@code pod}'s container run {@code restarts} started at {@code startedAt}: probing starts over, not ready. */
    public Readiness started(String pod, Probe probe, int restarts, Instant startedAt) {
        return started(pod, probe, restarts, startedAt, false);
    }

    /** As {@link #started(String, Probe, int, Instant)}; {@code passing}: it passes until it fails (liveness). */
    public Readiness started(String pod, Probe probe, int restarts, Instant startedAt, boolean passing) {
        return with(pod, Probing.start(probe, restarts, startedAt, passing));
    }

    /** {@code pod}'s probing is over (its startup probe succeeded): kept, never due again. */
    public Readiness finished(String pod) {
        Probing p = pods.get(pod);
        return p == null || p.done() ? this : with(pod, p.finished());
    }

    /** {@code pod}'s probing; null when it is not probed. */
    public Probing of(String pod) { return pods.get(pod); }

    /** {@code pod}'s container no longer runs: its probing stops. */
    public Readiness stopped(String pod) {
        return pods.containsKey(pod) ? with(pod, null) : this;
    }

    /** The pods whose probe is due at {@code now} (not in flight), in name order. */
    public List<String> due(Instant now) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Probing> e : pods.entrySet()) if (e.getValue().dueBy(now)) out.add(e.getKey());
        return out;
    }

    /** {@code pod}'s probe begins at {@code now}: in flight, the next one due a period later. */
    public Readiness probing(String pod, Instant now) {
        Probing p = pods.get(pod);
        return p == null || p.inFlight() ? this : with(pod, p.probing(now));
    }

    /**
     * A probe's outcome (a timeout or an error is a failure). A result of another run, or when none is in
     * flight, is stale and changes nothing.
     */
    public Readiness result(String pod, int restarts, boolean success) {
        Probing p = pods.get(pod);
        if (p == null || p.restarts() != restarts || !p.inFlight()) return this;
        return with(pod, p.result(success));
    }

    /** When the next probe is due (the shell's timer); in-flight probes wait for their result instead. */
    public Optional<Instant> nextDue() {
        return pods.values().stream().filter(p -> !p.inFlight() && !p.done()).map(Probing::dueAt).min(Instant::compareTo);
    }

    private Readiness with(String pod, Probing p) {
        TreeMap<String, Probing> m = new TreeMap<>(pods);
        if (p == null) m.remove(pod); else m.put(pod, p);
        return new Readiness(m);
    }
}
