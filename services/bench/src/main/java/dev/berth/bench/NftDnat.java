package dev.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's data path for comparison: one nftables DNAT rule on the output hook from a virtual
 * IP:port to a pod — what kube-proxy's nftables mode installs for a one-endpoint Service — in a table
 * of its own ("berth_bench_PID") that close and a shutdown hook delete. Only addresses of this run:
 * the virtual IP is an unused one of the run's own pod CIDR.
 */
final class NftDnat implements AutoCloseable {
    private final String table = "berth_bench_" + ProcessHandle.current().pid();
    private final Thread cleanup = new Thread(this::delete, "berth-bench-nft-cleanup");

    NftDnat(String virtualIp, int port, String podIp, int podPort) throws IOException, InterruptedException {
        removeOrphans();
        Runtime.getRuntime().addShutdownHook(cleanup);
        nft("add", "table", "ip", table);
        nft("add", "chain", "ip", table, "out", "{ type nat hook output priority -100 ; }");
        nft("add", "rule", "ip", table, "out", "ip", "daddr", virtualIp, "tcp", "dport", Integer.toString(port),
                "dnat", "to", podIp + ":" + podPort);
    }

    static boolean available() {
        return LoadTools.available("nft");
    }

    /** A benchmark killed with SIGKILL runs no shutdown hook: remove the tables of runs no longer alive. */
    private static void removeOrphans() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nft", "list", "tables").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("table ip (berth_bench_([0-9]+))").matcher(out);
        while (m.find()) {
            if (ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                new ProcessBuilder("nft", "delete", "table", "ip", m.group(1)).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void nft(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("nft"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            close();
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private void delete() {
        try {
            new ProcessBuilder("nft", "delete", "table", "ip", table).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            System.err.println("could not delete nft table " + table + ": " + e);
        }
    }

    @Override
    public void close() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself is running
        }
    }
}
