package dev.berth.node.core;

import java.time.Duration;

/**
 * Exponential back-off between restarts of a crashing container: the n-th consecutive restart waits
 * {@code base × 2^n}, at most {@code cap}. A container that ran cleanly for {@code resetAfter} starts
 * over at {@code base}. Kubernetes uses 10 s, 5 min and 10 min; the dev defaults are ten times faster
 * so a crash loop is visible within a minute on a laptop.
 */
public record RestartBackoff(Duration base, Duration cap, Duration resetAfter) {

    public static final RestartBackoff DEV_DEFAULTS =
            new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(2));

    public RestartBackoff {
        if (base.isNegative() || base.isZero()) throw new IllegalArgumentException("back-off base must be positive: " + base);
        if (cap.compareTo(base) < 0) throw new IllegalArgumentException("back-off cap " + cap + " is below its base " + base);
        if (resetAfter.isNegative()) throw new IllegalArgumentException("back-off reset must not be negative: " + resetAfter);
    }

    /** Delay before a restart after {@code steps} consecutive earlier ones (0 for the first). */
    public Duration delay(int steps) {
        Duration d = base;
        for (int i = 0; i < steps && d.compareTo(cap) < 0; i++) d = d.multipliedBy(2); // stops long before overflow
        return d.compareTo(cap) > 0 ? cap : d;
    }

    /** Go/Kubernetes-style duration: 500ms, 4s, 1m0s, 1m30s. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        if (ms % 1000 != 0) return String.format("%.1fs", ms / 1000.0);
        long s = ms / 1000;
        return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
    }
}
