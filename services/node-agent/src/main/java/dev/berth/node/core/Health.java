package dev.berth.node.core;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The liveness and startup side of a node's probing, beside its {@link Readiness}: the two kinds of probing, each
 * container's failing probes as counted for PodUnhealthy, and the containers killed for failing one (whose exit then
 * says why). Immutable.
 *
 * @param unhealthy per {@link #key(String, String)}: a probe that fails, its count since it started failing and when it
 *                  was last reported
 * @param kills     per pod: the run killed for a failed liveness or startup probe, and why
 */
public record Health(Readiness liveness, Readiness startup, Map<String, Unhealthy> unhealthy, Map<String, Kill> kills) {
    public static final Health NONE = new Health(Readiness.NONE, Readiness.NONE, Map.of(), Map.of());

    public Health {
        unhealthy = java.util.Collections.unmodifiableMap(new TreeMap<>(unhealthy));
        kills = java.util.Collections.unmodifiableMap(new TreeMap<>(kills));
    }

    /** A probe failing in run {@code restarts}: {@code count} failures since {@code firstSeen}, last reported at {@code reportedAt}. */
    public record Unhealthy(int restarts, int count, Instant firstSeen, Instant reportedAt) {}

    /** Run {@code restarts} was killed for its {@code probe} (Liveness, Startup) failing: {@code message} says what it saw. */
    public record Kill(int restarts, String probe, String message) {}

    static String key(String pod, String probe) { return pod + "/" + probe; }

    Health withLiveness(Readiness r) { return r == liveness ? this : new Health(r, startup, unhealthy, kills); }

    Health withStartup(Readiness r) { return r == startup ? this : new Health(liveness, r, unhealthy, kills); }

    Health withUnhealthy(String key, Unhealthy u) {
        TreeMap<String, Unhealthy> m = new TreeMap<>(unhealthy);
        if (u == null) m.remove(key); else m.put(key, u);
        return new Health(liveness, startup, m, kills);
    }

    Health withKill(String pod, Kill k) {
        TreeMap<String, Kill> m = new TreeMap<>(kills);
        if (k == null) m.remove(pod); else m.put(pod, k);
        return new Health(liveness, startup, unhealthy, m);
    }

    /** The run {@code restarts} of {@code pod} was killed for a failed probe: why; null otherwise. */
    public String killedFor(String pod, int restarts) {
        Kill k = kill(pod, restarts);
        return k == null ? null : k.message();
    }

    /** The kill of run {@code restarts} of {@code pod}; null when it was not killed for a probe. */
    public Kill kill(String pod, int restarts) {
        Kill k = kills.get(pod);
        return k != null && k.restarts() == restarts ? k : null;
    }
}
