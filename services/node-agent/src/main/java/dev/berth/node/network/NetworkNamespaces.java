package dev.berth.node.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Named network namespaces, made with iproute2 ({@code ip netns add NAME}): a bind mount at
 * {@code /run/netns/NAME} that outlives every process, so a pod's network survives its container's
 * restarts and the agent's own, runc joins it by path, CNI plugins take the same path as CNI_NETNS, and
 * operators see it with {@code ip netns list}. (The JVM cannot unshare(2) a thread of its own into a new
 * namespace, and a helper process bind-mounting /proc/PID/ns/net would redo what ip already does.)
 */
public final class NetworkNamespaces {
    public static final Path DIR = Path.of("/run/netns");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,199}");

    private NetworkNamespaces() {}

    public static Path path(String name) {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("invalid network namespace name: " + name);
        return DIR.resolve(name);
    }

    public static boolean exists(String name) { return Files.exists(path(name)); }

    /** Creates the namespace unless it exists; its loopback stays down until the loopback plugin runs. */
    public static Path create(String name) throws IOException {
        Path p = path(name);
        if (!Files.exists(p)) HostCommands.check(List.of("ip", "netns", "add", name));
        return p;
    }

    /** Deletes the namespace if it exists; interfaces still inside (a veth end) go with it. */
    public static void delete(String name) throws IOException {
        if (!Files.exists(path(name))) return;
        HostCommands.check(List.of("ip", "netns", "delete", name));
    }

    /** Names of the namespaces starting with {@code prefix}. */
    public static List<String> list(String prefix) throws IOException {
        if (!Files.isDirectory(DIR)) return List.of();
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }
}
