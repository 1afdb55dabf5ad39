package dev.berth.proxy.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster DNS address as a /32 on the proxy's cluster-IP interface (berth-svc0), beside the Services'
 * cluster IPs: pods reach it through their default route to the node, like any cluster IP. iproute2, root,
 * blocking. The interface's removal takes the address with it; {@link #remove} is for a DNS that stops alone.
 */
public final class DnsAddress {
    private static final long TIMEOUT_SECONDS = 10;

    private DnsAddress() {}

    public static void add(String interfaceName, String ip) throws IOException {
        ip(List.of("ip", "addr", "replace", ip + "/32", "dev", interfaceName));
    }

    public static void remove(String interfaceName, String ip) throws IOException {
        ip(List.of("ip", "addr", "del", ip + "/32", "dev", interfaceName));
    }

    private static void ip(List<String> command) throws IOException {
        if (!command.get(5).contains("berth")) throw new IllegalArgumentException("not a Berth interface: " + command.get(5));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String out = new String(p.getInputStream().readNBytes(16 * 1024), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
