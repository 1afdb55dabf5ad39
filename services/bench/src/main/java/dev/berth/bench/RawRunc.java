package dev.berth.bench;

import dev.berth.node.NodeAgentVerticle;
import dev.berth.node.runtime.ContainerSpec;
import dev.berth.node.image.ImageHandle;
import dev.berth.node.image.ImageService;
import dev.berth.node.image.ProcessSpec;
import dev.berth.node.image.Rootfs;
import dev.berth.node.runtime.ImageStore;
import dev.berth.node.runtime.LocalBusyboxImage;
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
 * burst started as the node agent starts containers ({@link #AGENT_WORKERS} at once). Also the same
 * start on a pod's own overlay rootfs over the image's layers (mounted per run, as the agent does)
 * beside the old shared read-only rootfs, to show what the writable rootfs costs.
 */
final class RawRunc {
    /** How many starts the node agent runs at once (NodeAgentVerticle): the burst runs as many at once. */
    static final int AGENT_WORKERS = NodeAgentVerticle.START_SLOTS;

    /**
     * @param runTrueMs     median of {@code runc run true}: create, run, exit, delete
     * @param runUntilPidMs median of {@code runc run sleep} until its pid file exists (what the agent waits for)
     * @param burst         for each container of a burst, from the burst's start until its pid file exists
     */
    record Result(int runs, double runTrueMs, double runUntilPidMs, int burstSize, Latencies.Summary burst,
                  double overlayUntilPidMs, double overlayMountMs, String rootfsKind) {}

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
        ImageService store = new ImageService(dir.resolve("store"), ImageService.Options.defaults());
        LocalBusyboxImage.ensure(store, dir.resolve("tmp"));
        try (RuncRuntime runtime = new RuncRuntime(raw.runcRoot, dir.resolve("bundles"), dir.resolve("logs"), "/berth/bench-raw-" + raw.suffix, store)) {
            List<String> ids = new ArrayList<>();
            try {
                double[] sequential = raw.sequential(runtime, runs, ids);
                double[] overlay = raw.overlay(runtime, store, runs, ids);
                Latencies.Summary parallel = burst > 0 ? raw.burst(runtime, burst, ids) : Latencies.Summary.NONE;
                return new Result(runs, sequential[0], sequential[1], burst, parallel, overlay[0], overlay[1],
                        overlay[2] == 0 ? "overlay" : "copy");
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

    /** {@code runc run sleep} until its pid file on a freshly mounted overlay rootfs, mount included; and the mount alone. */
    private double[] overlay(RuncRuntime runtime, ImageService store, int runs, List<String> ids) throws Exception {
        String id = "bench-ovl-" + suffix;
        ids.add(id);
        ImageHandle busybox = store.find(LocalBusyboxImage.REFERENCE).orElseThrow();
        ContainerSpec spec = ContainerSpec.of(id, "busybox", List.of("sleep", "30")).withLimits(cpuMillis, memoryBytes);
        List<Long> untilPid = new ArrayList<>(), mounts = new ArrayList<>();
        boolean copied = false;
        for (int i = 0; i < runs; i++) {
            Path bundle = dir.resolve("bundle-" + id + "-" + i);
            Path pidFile = dir.resolve(id + "-ovl-" + i + ".pid");
            long t0 = System.nanoTime();
            Rootfs rootfs = store.mountRootfs(busybox, bundle);
            mounts.add(System.nanoTime() - t0);
            try {
                copied |= rootfs.kind() != Rootfs.Kind.OVERLAY;
                ProcessSpec process = busybox.config().resolve(spec.command(), List.of(), java.util.Map.of(), null, null, null, rootfs.path());
                OciBundle.write(bundle, spec, process, rootfs.path(), runtime.cgroupsPath(id), runtime.cgroups().supportsMemsw());
                Process p = runc("run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id);
                awaitPidFile(pidFile, p);
                untilPid.add(System.nanoTime() - t0);
                runc("kill", id, "KILL").waitFor();
                p.waitFor(10, TimeUnit.SECONDS);
                runc("delete", "--force", id).waitFor();
            } finally {
                store.unmount(bundle);
            }
        }
        return new double[] {medianMs(untilPid), medianMs(mounts), copied ? 1 : 0};
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
