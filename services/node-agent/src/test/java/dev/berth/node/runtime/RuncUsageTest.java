package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.node.image.ImageService;
import dev.berth.node.metrics.ResourceMetrics;
import dev.berth.node.metrics.UsageSample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** A busy and an idle real container, read from their cgroups on this host's layout: needs root and runc. */
@EnabledIf("runcUsable")
class RuncUsageTest {

    static boolean runcUsable() {
        return dev.berth.node.RealRunc.usable();
    }

    @TempDir
    static Path imageRoot;
    static ImageService images;

    @TempDir
    Path tmp;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    RuncRuntime runtime;

    @BeforeAll
    static void buildImage() throws Exception {
        images = new ImageService(imageRoot, ImageService.Options.defaults());
        LocalBusyboxImage.ensure(images, imageRoot.resolve("tmp"));
    }

    @BeforeEach
    void setUp() {
        runtime = new RuncRuntime(tmp.resolve("runc"), tmp.resolve("bundles"), tmp.resolve("logs"), "/berth/usage-" + run, images);
    }

    @AfterEach
    void tearDown() {
        try {
            for (String id : runtime.list()) runtime.stop(id, Duration.ZERO);
        } finally {
            runtime.removeCgroupParent();
            runtime.close();
        }
        assertThat(runtime.cgroups().exists("/berth/usage-" + run)).as("cgroup parent left behind").isFalse();
    }

    @Test
    void aBusyLoopUsesACoreAndAnIdleContainerNone() throws Exception {
        String busy = "busy-" + run, idle = "idle-" + run;
        long pid = runtime.start(ContainerSpec.of(busy, "busybox", List.of("sh", "-c", "while :; do :; done"))).pid();
        runtime.start(ContainerSpec.of(idle, "busybox", List.of("sleep", "3600")));
        long t0 = System.nanoTime();
        UsageSample busy0 = runtime.usage(busy).orElseThrow(), idle0 = runtime.usage(idle).orElseThrow();
        long proc0 = processCpuNanos(pid);
        Thread.sleep(2000);
        long t1 = System.nanoTime();
        UsageSample busy1 = runtime.usage(busy).orElseThrow(), idle1 = runtime.usage(idle).orElseThrow();
        long proc1 = processCpuNanos(pid);
        Duration window = Duration.ofNanos(t1 - t0);
        long busyMillicores = ResourceMetrics.millicores(busy0.cpuUsageNanos(), busy1.cpuUsageNanos(), window).orElseThrow();
        long idleMillicores = ResourceMetrics.millicores(idle0.cpuUsageNanos(), idle1.cpuUsageNanos(), window).orElseThrow();
        long procMillicores = ResourceMetrics.millicores(proc0, proc1, window).orElseThrow();
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("busy %d m (its process by /proc/PID/stat: %d m), idle %d m, working sets %d and %d bytes, load %.1f on %d cores%n",
                busyMillicores, procMillicores, idleMillicores, busy1.workingSetBytes(), idle1.workingSetBytes(), load, cores);
        // the cgroup's figure agrees with the kernel's per-process accounting (10 ms ticks: a few % apart)
        assertThat((double) busyMillicores).isCloseTo(procMillicores, org.assertj.core.data.Offset.offset(procMillicores * 0.15 + 30));
        // a busy loop gets a core when one is free; on a host busier than its cores, its fair share only
        assertThat(busyMillicores).isGreaterThan(load < cores - 0.5 ? 500 : 100);
        assertThat(idleMillicores).isLessThan(50);
        assertThat(busy1.memoryUsageBytes()).isPositive();
        assertThat(idle1.workingSetBytes()).isPositive();
        runtime.stop(busy, Duration.ZERO);
        assertThat(runtime.usage(busy)).as("a removed container's cgroup is gone").isEmpty();
    }

    /** utime + stime of one process, fields 14 and 15 of /proc/PID/stat, in ns (USER_HZ = 100). */
    private static long processCpuNanos(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // after "pid (comm) ": field 3 is f[0]
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }
}
