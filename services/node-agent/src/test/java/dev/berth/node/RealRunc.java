package dev.berth.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** JUnit condition for tests with real containers: root and runc; -Dberth.skipRunc=true skips them. */
public final class RealRunc {
    private RealRunc() {}

    public static boolean usable() {
        if (Boolean.getBoolean("berth.skipRunc")) return false;
        try {
            if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) return false;
        } catch (Exception e) {
            return false;
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "runc")));
    }
}
