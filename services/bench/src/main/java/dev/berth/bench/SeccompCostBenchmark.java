package dev.berth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.node.image.ImageService;
import dev.berth.node.runtime.ContainerSecurity;
import dev.berth.node.runtime.ContainerSpec;
import dev.berth.node.runtime.ImageStore;
import dev.berth.node.runtime.OciBundle;
import dev.berth.node.runtime.RuncRuntime;
import dev.berth.node.runtime.Seccomp;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth-bench seccomp} (issue 14 item 7): what the default seccomp profile costs a container's start. The same
 * bundle a pod gets ({@link OciBundle}: Docker's capabilities, no_new_privileges, masked paths, the profile), and that
 * bundle with {@code linux.seccomp} removed, run alternately in the same run so both see the same machine: {@code runc
 * run true} (create, run, exit, delete) and {@code runc run sleep} until its pid file (what the node agent waits for).
 * Also what building the profile for one container costs in the agent (Seccomp.profile, warm JVM).
 */
@Command(name = "seccomp", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures runc start with the default seccomp profile on against off, alternating, in one run.")
final class SeccompCostBenchmark implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--runs", defaultValue = "40", description = "starts of each kind, on and off alternating (default ${DEFAULT-VALUE})")
    int runs;

    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private Path runcRoot;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 10_000) throw new IllegalArgumentException("--runs must be 1 to 10000");
        String why = RuncStartBenchmark.unavailable();
        if (why != null) {
            System.out.println("seccomp cost " + why);
            return 1;
        }
        Path dir = Files.createTempDirectory("berth-bench-seccomp-");
        runcRoot = dir.resolve("runc");
        ImageStore images = new ImageStore(dir.resolve("images"));
        images.ensureBusybox();
        String id = "bench-seccomp-" + suffix;
        try (RuncRuntime runtime = new RuncRuntime(runcRoot, dir.resolve("bundles"), dir.resolve("logs"), "/berth/bench-seccomp-" + suffix,
                new ImageService(dir.resolve("store"), ImageService.Options.defaults()))) {
            try {
                Path onTrue = bundle(runtime, images, dir, id, true, "true"), offTrue = bundle(runtime, images, dir, id, false, "true");
                Path onSleep = bundle(runtime, images, dir, id, true, "sleep", "30"), offSleep = bundle(runtime, images, dir, id, false, "sleep", "30");
                List<Long> trueOn = new ArrayList<>(), trueOff = new ArrayList<>(), pidOn = new ArrayList<>(), pidOff = new ArrayList<>();
                for (int i = 0; i < 3; i++) runTrue(onTrue, id); // warm the page cache and runc's binary
                for (int i = 0; i < runs; i++) {
                    boolean onFirst = i % 2 == 0; // alternate which goes first, so neither always follows the other
                    for (boolean on : onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                        (on ? trueOn : trueOff).add(runTrue(on ? onTrue : offTrue, id));
                        (on ? pidOn : pidOff).add(untilPid(on ? onSleep : offSleep, id, dir.resolve(id + "-" + i + (on ? "-on" : "-off") + ".pid")));
                    }
                }
                long t0 = System.nanoTime();
                int builds = 2000;
                for (int i = 0; i < builds; i++) Seccomp.profile(new HashSet<>(ContainerSecurity.DEFAULT_CAPABILITIES), Seccomp.Host.current());
                double buildUs = (System.nanoTime() - t0) / 1e3 / builds;
                int profileBytes = JSON.writeValueAsBytes(Seccomp.profile(new HashSet<>(ContainerSecurity.DEFAULT_CAPABILITIES), Seccomp.Host.current())).length;
                print(trueOn, trueOff, pidOn, pidOff, buildUs, profileBytes);
            } finally {
                runc("delete", "--force", id).waitFor();
                runtime.removeCgroupParent();
            }
        } finally {
            RuncStartBenchmark.deleteRecursively(dir);
        }
        return 0;
    }

    private void print(List<Long> trueOn, List<Long> trueOff, List<Long> pidOn, List<Long> pidOff, double buildUs, int profileBytes) {
        System.out.printf(Locale.ROOT, "%n| measurement (%d runs each, alternating) | seccomp on | seccomp off | on − off |%n|---|---|---|---|%n", runs);
        row("`runc run true` (create, run, exit, delete), p50", trueOn, trueOff, 50);
        row("`runc run true`, p90", trueOn, trueOff, 90);
        row("`runc run sleep` until its pid file, p50", pidOn, pidOff, 50);
        row("`runc run sleep` until its pid file, p90", pidOn, pidOff, 90);
        System.out.printf(Locale.ROOT, "| building the profile for one container in the agent (warm) | %.0f µs | | |%n", buildUs);
        System.out.printf(Locale.ROOT, "| the profile in config.json | %.1f KiB | | |%n", profileBytes / 1024.0);
    }

    private static void row(String what, List<Long> on, List<Long> off, int percentile) {
        double a = percentileMs(on, percentile), b = percentileMs(off, percentile);
        System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %+.1f ms |%n", what, a, b, a - b);
    }

    /** The pod's bundle as the node writes it (shared read-only busybox rootfs, 16 MiB), with or without the profile. */
    private static Path bundle(RuncRuntime runtime, ImageStore images, Path dir, String id, boolean seccomp, String... argv) throws Exception {
        Path bundle = dir.resolve("bundle-" + argv[0] + (seccomp ? "-on" : "-off"));
        OciBundle.write(bundle, ContainerSpec.of(id, ImageStore.BUSYBOX, List.of(argv)).withLimits(100, 16L << 20),
                images.rootfs(ImageStore.BUSYBOX), runtime.cgroupsPath(id), runtime.cgroups().supportsMemsw());
        if (!seccomp) {
            Path config = bundle.resolve("config.json");
            ObjectNode c = (ObjectNode) JSON.readTree(config.toFile());
            ((ObjectNode) c.path("linux")).remove("seccomp");
            JSON.writeValue(config.toFile(), c);
        }
        return bundle;
    }

    private long runTrue(Path bundle, String id) throws Exception {
        long t0 = System.nanoTime();
        int code = runc("run", "--bundle", bundle.toString(), id).waitFor();
        if (code != 0) throw new IllegalStateException("runc run true exited " + code + " (" + bundle + ")");
        return System.nanoTime() - t0;
    }

    private long untilPid(Path bundle, String id, Path pidFile) throws Exception {
        long t0 = System.nanoTime();
        Process p = runc("run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id);
        while (!Files.exists(pidFile) && p.isAlive()) Thread.sleep(0, 200_000);
        long took = System.nanoTime() - t0;
        if (!Files.exists(pidFile)) throw new IllegalStateException("runc run ended (" + p.exitValue() + ") before its container ran");
        runc("kill", id, "KILL").waitFor();
        p.waitFor(10, TimeUnit.SECONDS);
        runc("delete", "--force", id).waitFor();
        return took;
    }

    private Process runc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runc", "--root", runcRoot.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static double percentileMs(List<Long> nanos, int percentile) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }
}
