package dev.berth.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** JUnit condition: real containers need root, runc and busybox-static (CI installs them). */
final class RuncAvailable {
    private RuncAvailable() {}

    static boolean check() {
        if (Boolean.getBoolean("berth.skipRunc")) return false;
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean runc = Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc"));
        return root && runc && Files.isExecutable(Path.of("/bin/busybox"));
    }
}
