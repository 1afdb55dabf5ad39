package dev.berth.node.network;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a host tool (ip, iptables-save) with a timeout and bounded output; arguments never pass a shell. */
final class HostCommands {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_OUTPUT = 4 << 20;

    private HostCommands() {}

    record Outcome(int exit, String stdout, String stderr) {
        boolean ok() { return exit == 0; }
    }

    static Outcome run(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": timed out after " + TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", argv) + ": interrupted");
        }
        return new Outcome(p.exitValue(), out.join(), err.join().strip());
    }

    /** Runs and fails with the tool's own message when it exits non-zero. */
    static String check(List<String> argv) throws IOException {
        Outcome o = run(argv);
        if (!o.ok()) throw new IOException(String.join(" ", argv) + " exited " + o.exit() + ": " + o.stderr());
        return o.stdout();
    }

    private static String read(InputStream in) {
        try (in) {
            byte[] b = in.readNBytes(MAX_OUTPUT);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
