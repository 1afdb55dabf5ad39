package dev.berth.bench;

import dev.berth.node.NodeAgentVerticle;
import dev.berth.node.runtime.ContainerSpec;
import dev.berth.node.runtime.ImageStore;
import dev.berth.node.runtime.OciBundle;
import dev.berth.node.runtime.RuncRuntime;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The floor under a pod's start: plain {@code runc run} of the busybox image with the same kind of
 * bundle a pod gets ({@link OciBundle}, same limits), no Berth in between — one at a time, and as a
 * burst started as the node agent starts containers ({@link #AGENT_WORKERS} at once).
 */
final class RawRunc {
    /** How many starts the node agent runs at once (NodeAgentVerticle): the burst runs as many at once. */
    static final int AGENT_WORKERS = NodeAgentVerticle.START_SLOTS;

    /**
     * @param runTrueMs     median of {@code runc run true}: create, run, exit, delete
     * @param runUntilPidMs median of {@code runc run sleep} until its pid file exists (what the agent waits for)
     * @param burst         for each container of a burst, from the burst's start until its pid file exists
     */
    record Result(int runs, double runTrueMs, double runUntilPidMs, int burstSize, Latencies.Summary burst) {}

    private final ImageStore images;
    private final Path dir;
    private final Path runcRoot;
    private final long cpuMillis, memoryBytes;
    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

    private RawRunc(ImageStore images, Path dir, long cpuMillis, long memoryBytes) {
        this.images = images;
        this.dir = dir;
        this.runcRoot = dir.resolve("runc");
        this.cpuMillis = cpuMillis;
        this.memoryBytes = memoryBytes;
    }

    static Result measure(ImageStore images, Path dir, int runs, int burst, long cpuMillis, long memoryBytes) throws Exception {
        RawRunc raw = new RawRunc(images, dir, cpuMillis, memoryBytes);
        try (RuncRuntime runtime = new RuncRuntime(raw.runcRoot, dir.resolve("bundles"), dir.resolve("logs"), "/berth/bench-raw-" + raw.suffix, images)) {
            List<String> ids = new ArrayList<>();
            try {
                double[] sequential = raw.sequential(runtime, runs, ids);
                Latencies.Summary parallel = burst > 0 ? raw.burst(runtime, burst, ids) : Latencies.Summary.NONE;
                return new Result(runs, sequential[0], sequential[1], burst, parallel);
            } finally {
                for (String id : ids) raw.runc("delete", "--force", id).waitFor();
                runtime.removeCgroupParent();
            }
        }
    }

    private double[] sequential(RuncRuntime runtime, int runs, List<String> ids) throws Exception {
        String id = "bench-raw-" + suffix;
        ids.add(id);
        Path trueBundle = bundle(runtime, id, "true");
        Path sleepBundle = bundle(runtime, id, "sleep", "30");
        List<Long> runTrue = new ArrayList<>(), untilPid = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            int code = runc("run", "--bundle", trueBundle.toString(), id).waitFor();
            if (code != 0) throw new IllegalStateException("runc run true exited " + code);
            runTrue.add(System.nanoTime() - t0);

            Path pidFile = dir.resolve(id + "-" + i + ".pid");
            t0 = System.nanoTime();
            Process p = runc("run", "--bundle", sleepBundle.toString(), "--pid-file", pidFile.toString(), id);
            awaitPidFile(pidFile, p);
            untilPid.add(System.nanoTime() - t0);
            runc("kill", id, "KILL").waitFor();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return new double[] {medianMs(runTrue), medianMs(untilPid)};
    }

    private Latencies.Summary burst(RuncRuntime runtime, int count, List<String> ids) throws Exception {
        List<Path> bundles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "bench-raw-" + suffix + "-" + i;
            ids.add(id);
            bundles.add(bundle(runtime, id, "sleep", "30"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(AGENT_WORKERS);
        Latencies latencies = new Latencies();
        List<Process> started = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            List<Future<Process>> runs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = ids.get(ids.size() - count + i);
                Path bundle = bundles.get(i);
                runs.add(pool.submit(() -> {
                    Path pidFile = dir.resolve(id + ".pid");
                    Process p = runc("run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id);
                    awaitPidFile(pidFile, p);
                    synchronized (latencies) {
                        latencies.record((System.nanoTime() - t0) / 1000);
                    }
                    return p;
                }));
            }
            for (Future<Process> run : runs) started.add(run.get(2, TimeUnit.MINUTES));
        } finally {
            pool.shutdownNow();
            for (String id : ids.subList(ids.size() - count, ids.size())) runc("kill", id, "KILL").waitFor();
            for (Process p : started) p.waitFor(10, TimeUnit.SECONDS);
        }
        return latencies.summary();
    }

    private Path bundle(RuncRuntime runtime, String id, String... argv) throws Exception {
        Path bundle = dir.resolve("bundle-" + id + "-" + argv[0]);
        OciBundle.write(bundle, ContainerSpec.of(id, ImageStore.BUSYBOX, List.of(argv)).withLimits(cpuMillis, memoryBytes),
                images.rootfs(ImageStore.BUSYBOX), runtime.cgroupsPath(id), runtime.cgroups().supportsMemsw());
        return bundle;
    }

    private static void awaitPidFile(Path pidFile, Process p) throws InterruptedException {
        while (!Files.exists(pidFile) && p.isAlive()) Thread.sleep(0, 200_000);
        if (!Files.exists(pidFile)) throw new IllegalStateException("runc run ended (" + p.exitValue() + ") before its container ran");
    }

    private Process runc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runc", "--root", runcRoot.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static double medianMs(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int m = sorted.size() / 2;
        long median = sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
        return median / 1e6;
    }
}
