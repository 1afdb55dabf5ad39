package dev.berth.node.network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** JUnit condition for tests with the real CNI plugins: root, the plugins, iproute2 and busybox; -Dberth.skipCni=true skips them. */
public final class RealCni {
    private RealCni() {}

    public static boolean usable() {
        if (Boolean.getBoolean("berth.skipCni")) return false;
        try {
            if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) return false;
        } catch (Exception e) {
            return false;
        }
        boolean plugins = Stream.of("bridge", "host-local", "loopback", "portmap")
                .allMatch(p -> CniPlugins.defaults().find(p).isPresent());
        return plugins && onPath("ip") && onPath("busybox");
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }
}
