package dev.berth.proxy;

import dev.berth.proxy.core.Validation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Makes cluster IPs local to this node without NAT, like kube-proxy's IPVS mode does with
 * kube-ipvs0: a dummy interface carries each cluster IP as a /32, so the proxy can bind
 * clusterIP:port and pods reach it through their default route to the host. Uses iproute2
 * ({@code ip}); needs root. Where the kernel has no dummy driver a bridge without ports does the same
 * job. {@link #close} removes the interface and with it every address.
 * Blocking: call it off the event loop.
 */
public final class ServiceAddresses implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 10;

    private final String interfaceName;
    private final Set<String> addresses = new TreeSet<>();
    private boolean closed;
    private String kind = "dummy";

    private ServiceAddresses(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    /**
     * Creates the interface, replacing one of the same name left by an earlier run of this proxy (its
     * addresses are re-added from the table, so nothing stale survives a restart).
     */
    public static ServiceAddresses create(String interfaceName) throws IOException {
        if (!interfaceName.contains("berth") || !interfaceName.matches("[a-z0-9-]{1,15}")) {
            throw new IllegalArgumentException("interface name must be at most 15 of [a-z0-9-] and contain \"berth\": " + interfaceName);
        }
        ServiceAddresses a = new ServiceAddresses(interfaceName);
        if (exists(interfaceName)) {
            a.ip("link", "del", interfaceName);
        }
        try {
            a.ip("link", "add", interfaceName, "type", "dummy");
        } catch (IOException noDummy) {
            // Kernels built without the dummy driver (some VMs) still have bridges: a bridge without
            // ports carries local addresses just as well.
            a.ip("link", "add", interfaceName, "type", "bridge");
            a.kind = "bridge";
        }
        try {
            a.ip("link", "set", interfaceName, "up");
        } catch (IOException e) {
            a.close();
            throw e;
        }
        return a;
    }

    public static boolean exists(String interfaceName) throws IOException {
        return run(List.of("ip", "link", "show", "dev", interfaceName)).exit == 0;
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** "dummy", or "bridge" where the kernel has no dummy driver. */
    public String kind() {
        return kind;
    }

    public synchronized void add(String ip) throws IOException {
        requireIp(ip);
        if (addresses.add(ip)) {
            ip("addr", "add", ip + "/32", "dev", interfaceName);
        }
    }

    public synchronized void remove(String ip) throws IOException {
        requireIp(ip);
        if (addresses.remove(ip)) {
            ip("addr", "del", ip + "/32", "dev", interfaceName);
        }
    }

    public synchronized Set<String> addresses() {
        return Set.copyOf(addresses);
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        addresses.clear();
        ip("link", "del", interfaceName);
    }

    private static void requireIp(String ip) {
        if (!Validation.isIPv4(ip)) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
    }

    private void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Result r = run(command);
        if (r.exit != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exit + "): " + r.output.strip());
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String out = new String(p.getInputStream().readNBytes(16 * 1024), StandardCharsets.UTF_8);
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
