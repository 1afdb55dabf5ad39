package dev.berth.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Waiting for the cluster, by polling what the observer saw. */
final class Waits {
    private Waits() {}

    static void until(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            sleep(100);
        }
    }

    /**
     * Waits until {@code done} reaches {@code target}, printing {@code status} every five seconds; gives
     * up (false) when {@code done} did not move for {@code stall}.
     */
    static boolean progress(IntSupplier done, int target, Duration stall, Supplier<String> status, PrintStream out) {
        int last = -1;
        long lastChange = System.nanoTime(), lastPrint = lastChange;
        while (true) {
            int now = done.getAsInt();
            if (now >= target) return true;
            long t = System.nanoTime();
            if (now != last) {
                last = now;
                lastChange = t;
            } else if (t - lastChange > stall.toNanos()) {
                return false;
            }
            if (t - lastPrint > 5_000_000_000L) {
                out.println("  " + status.get());
                lastPrint = t;
            }
            sleep(100);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
