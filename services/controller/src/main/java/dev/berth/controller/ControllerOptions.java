package dev.berth.controller;

import java.time.Duration;
import java.util.Objects;

/**
 * How the controller runs.
 *
 * @param resyncInterval how often to reconcile everything even when no input arrived (level-triggered safety net)
 */
public record ControllerOptions(Duration resyncInterval) {
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(10);

    public ControllerOptions {
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        if (resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new IllegalArgumentException("resyncInterval must be positive, got " + resyncInterval);
        }
    }

    public static ControllerOptions defaults() { return new ControllerOptions(DEFAULT_RESYNC); }
}
