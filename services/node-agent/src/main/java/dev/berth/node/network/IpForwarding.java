package dev.berth.node.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's net.ipv4.ip_forward. The bridge plugin turns it on (isGateway) because routing between nodes
 * needs it; the local stack reads it at start and puts it back when it stops, and so do the tests.
 */
public final class IpForwarding {
    static final Path SYSCTL = Path.of("/proc/sys/net/ipv4/ip_forward");

    private IpForwarding() {}

    public static boolean enabled() throws IOException { return Files.readString(SYSCTL).strip().equals("1"); }

    public static void set(boolean on) throws IOException { Files.writeString(SYSCTL, on ? "1" : "0"); }
}
