package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.node.image.ImageService;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** Real containers with real runc: needs root and runc; skipped with -Dberth.skipRunc=true. */
@EnabledIf("runcUsable")
class RuncRuntimeTest {

    static boolean runcUsable() {
        return dev.berth.node.RealRunc.usable();
    }

    @TempDir
    static Path imageRoot;
    static ImageService images;
    /** The old shared read-only rootfs, for the raw-runc baseline only. */
    static ImageStore rawImage;

    @TempDir
    Path tmp;
    /** Unique per test, so concurrent runs on one host (other agents, other sessions) never collide. */
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final List<String> started = Collections.synchronizedList(new ArrayList<>());
    RuncRuntime runtime;

    @BeforeAll
    static void buildImage() throws Exception {
        images = new ImageService(imageRoot, ImageService.Options.defaults());
        LocalBusyboxImage.ensure(images, imageRoot.resolve("tmp"));
        rawImage = new ImageStore(imageRoot.resolve("raw"));
        rawImage.ensureBusybox();
    }

    @BeforeEach
    void setUp() {
        runtime = new RuncRuntime(tmp.resolve("runc"), tmp.resolve("bundles"), tmp.resolve("logs"),
                "/berth/test-" + run, images);
    }

    @AfterEach
    void tearDown() {
        try {
            for (String id : started) runtime.stop(id, Duration.ZERO);
        } finally {
            runtime.removeCgroupParent();
            runtime.close();
        }
        assertThat(runtime.cgroups().exists("/berth/test-" + run)).as("cgroup parent left behind").isFalse();
    }

    private String id(String name) {
        String id = name + "-" + run;
        started.add(id);
        return id;
    }

    private ContainerSpec sh(String id, String script) {
        return ContainerSpec.of(id, "busybox", List.of("sh", "-c", script));
    }

    @Test
    void limitsListAndStopWithKill() throws Exception {
        String id = id("sleep");
        RunningContainer c = runtime.start(ContainerSpec.of(id, "busybox", List.of("sleep", "30"))
                .withLimits(250, 64L << 20));

        assertThat(c.pid()).isPositive();
        assertThat(runtime.memoryLimitBytes(id)).isEqualTo(67108864L);
        assertThat(runtime.cpuQuota(id)).isEqualTo(25000L);
        assertThat(Files.readString(Path.of("/proc/" + c.pid() + "/cgroup"))).contains(runtime.cgroupsPath(id));
        assertThat(runtime.list()).contains(id);
        assertThat(c.exit()).isNotDone();
        assertThatThrownBy(() -> runtime.start(ContainerSpec.of(id, "busybox", List.of("true"))))
                .isInstanceOf(IllegalStateException.class);

        // sleep is PID 1 of its pid namespace with no TERM handler: TERM is ignored, KILL ends it.
        runtime.stop(id, Duration.ofSeconds(2));

        ExitStatus killed = c.exit().get(30, TimeUnit.SECONDS);
        assertThat(killed.code()).isEqualTo(137);
        assertThat(killed.oomKilled()).as("killed, but not by the OOM killer").isFalse();
        assertThat(runtime.list()).doesNotContain(id);
        assertThat(runtime.cgroups().exists(runtime.cgroupsPath(id))).isFalse();
        assertThat(tmp.resolve("bundles").resolve(id)).doesNotExist();
        runtime.stop(id, Duration.ofSeconds(1)); // again: a no-op
    }

    @Test
    void termEndsAContainerThatHandlesIt() throws Exception {
        String id = id("trap");
        RunningContainer c = runtime.start(sh(id, "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.05; done"));
        runtime.stop(id, Duration.ofSeconds(10));
        assertThat(c.exit().get(30, TimeUnit.SECONDS).code()).isEqualTo(0);
        assertThat(runtime.logFile(id)).content().contains("bye");
    }

    @Test
    void exitCodeIsTheContainers() throws Exception {
        String id = id("exit3");
        RunningContainer c = runtime.start(sh(id, "exit 3"));
        assertThat(c.exit().get(30, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(3, false));
        // runc run --keep leaves the ended container (and its cgroup) until cleanup.
        assertThat(runtime.containers()).singleElement().satisfies(found -> {
            assertThat(found.running()).isFalse();
            assertThat(found.exit()).isEqualTo(new ExitStatus(3, false));
        });
        assertThat(runtime.cgroups().exists(runtime.cgroupsPath(id))).isTrue();
        runtime.cleanup(id);
        assertThat(runtime.list()).doesNotContain(id);
        assertThat(runtime.cgroups().exists(runtime.cgroupsPath(id))).isFalse();
        assertThat(tmp.resolve("bundles").resolve(id)).doesNotExist();
    }

    @Test
    void outputGoesToTheLogFile() throws Exception {
        String id = id("hello");
        RunningContainer c = runtime.start(sh(id, "echo hello; echo oops >&2"));
        assertThat(c.exit().get(30, TimeUnit.SECONDS).code()).isZero();
        assertThat(runtime.logFile(id)).content().contains("hello", "oops");
    }

    @Test
    void processSeesItsEnvironmentAndAWritableRootfsOfItsOwn() throws Exception {
        String id = id("env");
        // $$ is Kubernetes' escape of $ in command and args: the shell sees $$
        ContainerSpec spec = sh(id, "echo \"host=$(hostname) env=$FOO pid=$$$$ HOSTNAME=$HOSTNAME\"; echo hi > /tmp/f && echo tmp-ok; "
                + "touch /x && echo root-rw")
                .withEnv(Map.of("FOO", "bar"));
        RunningContainer c = runtime.start(spec);
        assertThat(c.exit().get(30, TimeUnit.SECONDS).code()).isZero();
        assertThat(runtime.logFile(id)).content().contains("host=" + id + " env=bar pid=1 HOSTNAME=" + id, "tmp-ok", "root-rw");
        assertThat(tmp.resolve("bundles").resolve(id).resolve("upper/x")).exists(); // the write went to its own layer
        for (Path layer : images.find(LocalBusyboxImage.REFERENCE).orElseThrow().layers()) {
            assertThat(layer.resolve("tmp/f")).doesNotExist(); // the shared image is untouched
            assertThat(layer.resolve("x")).doesNotExist();
        }
    }

    /** A pod without limits (Kubernetes' BestEffort or a request-only pod) runs without a cpu quota or memory limit. */
    @Test
    void noLimitsMeansNoCgroupCap() throws Exception {
        String id = id("uncapped");
        RunningContainer c = runtime.start(ContainerSpec.of(id, "busybox", List.of("sleep", "30")));

        assertThat(c.pid()).isPositive();
        assertThat(runtime.cpuQuota(id)).isEqualTo(-1L);
        assertThat(runtime.memoryLimitBytes(id)).isEqualTo(-1L);
        runtime.stop(id, Duration.ofSeconds(1));
        c.exit().get(30, TimeUnit.SECONDS);
    }

    @Test
    void exceedingTheMemoryLimitIsAnOomKill() throws Exception {
        String id = id("oom");
        // Command substitution makes sh (PID 1) hold 64 MiB: the memcg OOM killer kills it -> 128+9.
        ContainerSpec spec = sh(id, "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived ${#x}; sleep 5")
                .withLimits(0, 32L << 20);
        RunningContainer c = runtime.start(spec);
        ExitStatus exit = c.exit().get(30, TimeUnit.SECONDS);
        System.out.println("OOM: exit " + exit + ", oom_kill counter " + runtime.cgroups().oomKills(runtime.cgroupsPath(id))
                + " (" + runtime.cgroups() + ")");
        assertThat(exit).isEqualTo(new ExitStatus(137, true));
        assertThat(runtime.logFile(id)).content().doesNotContain("survived");
    }

    @Test
    void anEndedContainerIsReplacedByTheNextStartOfItsId() throws Exception {
        String id = id("again");
        RunningContainer first = runtime.start(sh(id, "echo run-1; exit 1"));
        assertThat(first.exit().get(30, TimeUnit.SECONDS).code()).isEqualTo(1);
        RunningContainer second = runtime.start(sh(id, "echo run-2; sleep 30"));
        assertThat(runtime.containers()).singleElement().satisfies(c -> assertThat(c.running()).isTrue());
        assertThatThrownBy(() -> runtime.start(sh(id, "true"))).isInstanceOf(IllegalStateException.class);
        assertThat(second.exit()).isNotDone();
        assertThat(runtime.logFile(id)).content().contains("run-1", "run-2");
    }

    /** What a restarted agent relies on: annotations and exit codes survive in runc state and the shim's exit file. */
    @Test
    void anotherRuntimeInstanceFindsContainersWithTheirAnnotationsAndLearnsTheirExit() throws Exception {
        String live = id("live");
        String ended = id("ended");
        runtime.start(sh(live, "trap 'exit 7' TERM; while :; do sleep 0.05; done")
                .withAnnotations(Map.of("dev.berth.restarts", "4")));
        RunningContainer e = runtime.start(sh(ended, "exit 5"));
        e.exit().get(30, TimeUnit.SECONDS);

        try (RuncRuntime restarted = new RuncRuntime(tmp.resolve("runc"), tmp.resolve("bundles"), tmp.resolve("logs"),
                "/berth/test-" + run, images)) {
            Map<String, ContainerInfo> found = new java.util.TreeMap<>();
            for (ContainerInfo c : restarted.containers()) found.put(c.id(), c);
            assertThat(found).containsOnlyKeys(live, ended);
            assertThat(found.get(live).running()).isTrue();
            assertThat(found.get(live).annotations()).containsEntry("dev.berth.restarts", "4");
            assertThat(found.get(live).pid()).isPositive();
            assertThat(found.get(ended).exit()).isEqualTo(new ExitStatus(5, false));

            var exit = restarted.watch(live, found.get(live).pid());
            assertThat(exit).isNotDone();
            assertThat(new ProcessBuilder("runc", "--root", tmp.resolve("runc").toString(), "kill", live, "TERM")
                    .start().waitFor()).isZero();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(7, false));
        }
    }

    @Test
    void failedStartReportsRuncsErrorAndLeavesNothing() {
        String id = id("nocmd");
        assertThatThrownBy(() -> runtime.start(ContainerSpec.of(id, "busybox", List.of("no-such-command"))))
                .isInstanceOfSatisfying(StartException.class, e -> {
                    System.out.println("start failure as reported: " + e.getMessage());
                    assertThat(e.exitCode()).isNotZero();
                    assertThat(e.logTail()).contains("no-such-command");
                });
        assertThat(runtime.list()).doesNotContain(id);
        assertThat(runtime.cgroups().exists(runtime.cgroupsPath(id))).isFalse();
        assertThat(tmp.resolve("bundles").resolve(id)).doesNotExist();
    }

    @Test
    void stopsAContainerLeftByAPreviousAgent() throws Exception {
        String id = id("orphan");
        RunningContainer c = runtime.start(ContainerSpec.of(id, "busybox", List.of("sleep", "30")));
        // A new agent on the same runc root has no process handle for it: TERM, poll, then delete --force.
        RuncRuntime restarted = new RuncRuntime(tmp.resolve("runc"), tmp.resolve("bundles"), tmp.resolve("logs"),
                "/berth/test-" + run, images);
        assertThat(restarted.list()).containsExactly(id);
        restarted.stop(id, Duration.ofMillis(300));
        assertThat(c.exit().get(30, TimeUnit.SECONDS).code()).isEqualTo(137);
        assertThat(restarted.list()).isEmpty();
        assertThat(runtime.cgroups().exists(runtime.cgroupsPath(id))).isFalse();
    }

    @Test
    void stoppingAnUnknownContainerIsANoOp() {
        runtime.stop("never-started-" + run, Duration.ofSeconds(1));
        runtime.cleanup("never-started-" + run);
        assertThat(runtime.list()).isEmpty();
    }

    /**
     * Prints, never asserts: wall times vary a lot on shared machines. The three measurements are
     * interleaved so each runs right after a container teardown, like the others.
     */
    @Test
    void startLatency() throws Exception {
        int n = 10;
        String rawId = "raw-" + run;
        Path trueBundle = rawBundle("raw-true", rawId, "true");
        Path sleepBundle = rawBundle("raw-sleep", rawId, "sleep", "30");
        List<Long> ours = new ArrayList<>();
        List<Long> rawTrue = new ArrayList<>();
        List<Long> rawToPid = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = id("lat" + i);
            long t0 = System.nanoTime();
            runtime.start(ContainerSpec.of(id, "busybox", List.of("sleep", "30")).withLimits(250, 64L << 20));
            ours.add(System.nanoTime() - t0);
            runtime.stop(id, Duration.ZERO);

            // Raw `runc run` of `true` with the same bundle shape: create..exit..delete.
            t0 = System.nanoTime();
            assertThat(rawRunc("run", "--bundle", trueBundle.toString(), rawId).waitFor()).isZero();
            rawTrue.add(System.nanoTime() - t0);

            // Raw `runc run sleep` until its pid file appears: exactly what start() waits for.
            Path pidFile = tmp.resolve("raw-" + i + ".pid");
            t0 = System.nanoTime();
            Process p = rawRunc("run", "--bundle", sleepBundle.toString(), "--pid-file", pidFile.toString(), rawId);
            while (!Files.exists(pidFile) && p.isAlive()) Thread.sleep(0, 200_000);
            rawToPid.add(System.nanoTime() - t0);
            rawRunc("kill", rawId, "KILL").waitFor();
            assertThat(p.waitFor()).isEqualTo(137);
        }
        report("start() -> running", ours);
        report("raw `runc run true` (create..exit..delete)", rawTrue);
        report("raw `runc run sleep` until its pid file", rawToPid);
    }

    private Path rawBundle(String dir, String id, String... argv) throws Exception {
        Path bundle = tmp.resolve(dir);
        OciBundle.write(bundle, ContainerSpec.of(id, "busybox", List.of(argv)).withLimits(250, 64L << 20),
                rawImage.rootfs("busybox"), runtime.cgroupsPath(id), runtime.cgroups().supportsMemsw());
        return bundle;
    }

    private Process rawRunc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runc", "--root", tmp.resolve("runc").toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void report(String what, List<Long> nanos) {
        System.out.printf("%s: median %.1f ms (min %.1f, max %.1f) over %d%n",
                what, median(nanos), ms(Collections.min(nanos)), ms(Collections.max(nanos)), nanos.size());
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? ms(sorted.get(m)) : (ms(sorted.get(m - 1)) + ms(sorted.get(m))) / 2;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
