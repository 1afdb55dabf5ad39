package dev.berth.node.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Caps a container's log by copy and truncate, as logrotate's {@code copytruncate} does: the container
 * writes straight into its log file (its stdout and stderr are that file, opened for appending, held
 * by runc and the container, which outlive the agent), so the file cannot be renamed away from under
 * it. Instead its content is copied to {@code <log>.1} (older ones shift to {@code .2} … and the
 * oldest is dropped) and the live file is truncated to zero; the writers' next appends land at the new
 * end. Output written between the last copied byte and the truncation — microseconds — is lost; that
 * is the price of a container whose output never passes through the agent (see docs/architecture.md).
 */
public final class LogRotation {
    private LogRotation() {}

    /** The {@code n}-th rotated file of {@code log} (1 is the newest). */
    public static Path rotated(Path log, int n) {
        return log.resolveSibling(log.getFileName() + "." + n);
    }

    /** Rotates {@code log} if it is larger than the limit; whether it did. */
    public static boolean rotateIfLarger(Path log, LogLimits limits) throws IOException {
        if (!Files.isRegularFile(log) || Files.size(log) <= limits.maxBytes()) return false;
        int keep = limits.maxFiles() - 1; // rotated files besides the live one
        Files.deleteIfExists(rotated(log, keep));
        for (int n = keep - 1; n >= 1; n--) {
            if (Files.exists(rotated(log, n))) Files.move(rotated(log, n), rotated(log, n + 1), StandardCopyOption.REPLACE_EXISTING);
        }
        Path tmp = log.resolveSibling(log.getFileName() + ".rotating");
        try (FileChannel live = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel copy = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long copied = 0;
            // Copy until caught up with the writers (a few passes at most: a writer may never pause), then
            // truncate at once, so the window for lost bytes stays tiny.
            for (int pass = 0; pass < 4; pass++) {
                long size = live.size();
                if (copied >= size) break;
                while (copied < size) copied += live.transferTo(copied, size - copied, copy);
            }
            live.truncate(0);
        }
        Files.move(tmp, rotated(log, 1), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** Removes a log and its rotated files. */
    public static void delete(Path log, LogLimits limits) throws IOException {
        Files.deleteIfExists(log);
        for (int n = 1; n < limits.maxFiles(); n++) Files.deleteIfExists(rotated(log, n));
    }
}
