package dev.berth.bus.contract;

import java.time.Instant;

/** One line a container wrote: when the node read it, on which stream (stdout, stderr), and its text without the newline. */
public record LogLine(Instant time, String stream, String text) {
    public static final String STDOUT = "stdout", STDERR = "stderr";
}
