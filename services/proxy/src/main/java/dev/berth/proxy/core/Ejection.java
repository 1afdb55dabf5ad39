package dev.berth.proxy.core;

/**
 * Passive outlier ejection: an endpoint whose connects keep failing is left out of new choices for
 * a while, doubling with each consecutive failure (1 s, 2 s, 4 s … at most 30 s), until a connect
 * succeeds. Without it least-connections would favour a dead endpoint — it never holds a
 * connection, so it always looks lightest — and every client would pay a failed connect first.
 * Readiness still decides membership; this only bridges the time until a probe notices. Time is
 * data: the caller passes now.
 */
public final class Ejection {
    public static final long BASE_MILLIS = 1_000;
    public static final long MAX_MILLIS = 30_000;

    private Ejection() {}

    public static long durationMillis(int consecutiveFailures) {
        if (consecutiveFailures <= 0) {
            return 0;
        }
        int doublings = Math.min(consecutiveFailures - 1, 5);
        return Math.min(MAX_MILLIS, BASE_MILLIS << doublings);
    }

    public static boolean ejected(int consecutiveFailures, long lastFailureMillis, long nowMillis) {
        return consecutiveFailures > 0 && nowMillis - lastFailureMillis < durationMillis(consecutiveFailures);
    }
}
