package dev.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which signals this process ignores, from Linux's {@code /proc/self/status} (SigIgn: a hex bit mask, bit n-1 for signal n). */
final class SignalDisposition {
    static final int SIGINT = 2;

    private SignalDisposition() {}

    static boolean ignored(int signal) {
        try {
            return ignored(Files.readAllLines(Path.of("/proc/self/status")), signal);
        } catch (IOException | RuntimeException notLinux) {
            return false;
        }
    }

    static boolean ignored(Iterable<String> status, int signal) {
        for (String line : status) {
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (signal - 1) & 1) == 1;
        }
        return false;
    }
}
