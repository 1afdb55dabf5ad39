package dev.berth.bench;

import dev.berth.bus.BusConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The benchmark's side of {@link ControlPlaneMain}: a child JVM on this JVM's classpath, its log in a file. */
final class ControlPlaneProcess implements AutoCloseable {
    /** Heap of the control plane's JVM after a full GC, in bytes. */
    record Heap(long used, long committed, long max) {}

    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path log;

    private ControlPlaneProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) answers.add(line);
            } catch (IOException ignored) {
                // The process ended.
            }
        }, "bench-control-plane-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ControlPlaneProcess start(BusConfig bus, List<String> jvmOptions, boolean schedulerOnly, Path log) {
        return start(bus, jvmOptions, schedulerOnly ? List.of("scheduler-only") : List.of(), log);
    }

    /** {@code flags}: {@link ControlPlaneMain}'s ({@code scheduler-only}, {@code with-autoscaler}). */
    static ControlPlaneProcess start(BusConfig bus, List<String> jvmOptions, List<String> flags, Path log) {
        // Under surefire java.class.path is a manifest-only jar; the real path is in this property.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath, ControlPlaneMain.class.getName(), bus.bootstrapServers()));
        cmd.addAll(flags);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ControlPlaneProcess(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the control plane JVM", e);
        }
    }

    Path log() { return log; }

    long pid() { return process.pid(); }

    void awaitReady(Duration timeout) { await("ready", timeout); }

    /** The port of the autoscaler's /metrics, announced before ready (started {@code with-autoscaler}). */
    int awaitAutoscalerMetricsPort(Duration timeout) { return Integer.parseInt(await("autoscaler-metrics ", timeout).split(" ")[1]); }

    Heap heapAfterGc() {
        commands.println("heap");
        String[] f = await("heap ", Duration.ofSeconds(60)).split(" ");
        return new Heap(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }

    /** CPU time the control plane's JVM used so far (all its threads). */
    Duration cpuTime() { return process.info().totalCpuDuration().orElse(Duration.ZERO); }

    private String await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = answers.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) return line;
                if (line == null && !process.isAlive()) {
                    throw new IllegalStateException("the control plane JVM exited (" + process.exitValue() + "); see " + log);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("no '" + prefix.trim() + "' from the control plane within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        commands.println("stop");
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
