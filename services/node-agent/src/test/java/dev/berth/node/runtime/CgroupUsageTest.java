package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.node.metrics.UsageSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage files of both cgroup layouts, as fixtures: this host has v1 (hybrid); v2 is read from a temp dir. */
class CgroupUsageTest {

    @Test
    void readsV2(@TempDir Path root) throws Exception {
        Cgroups c = new Cgroups(true, Map.of("", root));
        Path dir = Files.createDirectories(root.resolve("berth/n1/web"));
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\nnr_periods 0\n");
        Files.writeString(dir.resolve("memory.current"), "73400320\n");
        Files.writeString(dir.resolve("memory.stat"), "anon 50331648\nfile 23068672\nactive_file 4194304\ninactive_file 18874368\n");
        assertThat(c.usage("/berth/n1/web")).contains(new UsageSample(2_500_000_000L, 73400320, 18874368));
        assertThat(c.usage("/berth/n1/web").orElseThrow().workingSetBytes()).isEqualTo(73400320 - 18874368);
    }

    @Test
    void readsV1FromTheCpuacctAndMemoryHierarchies(@TempDir Path root) throws Exception {
        Cgroups c = new Cgroups(false, Map.of("cpuacct", root.resolve("cpuacct"), "memory", root.resolve("memory")));
        Path cpu = Files.createDirectories(root.resolve("cpuacct/berth/n1/web"));
        Path mem = Files.createDirectories(root.resolve("memory/berth/n1/web"));
        Files.writeString(cpu.resolve("cpuacct.usage"), "123456789\n");
        Files.writeString(mem.resolve("memory.usage_in_bytes"), "10485760\n");
        // the leaf's own inactive_file and the hierarchical total: the total counts (processes may sit in children)
        Files.writeString(mem.resolve("memory.stat"), "cache 4096\ninactive_file 1024\ntotal_inactive_file 2097152\n");
        assertThat(c.usage("/berth/n1/web")).contains(new UsageSample(123456789, 10485760, 2097152));
    }

    @Test
    void aGoneOrGarbledCgroupGivesNoReading(@TempDir Path root) throws Exception {
        Cgroups v2 = new Cgroups(true, Map.of("", root));
        assertThat(v2.usage("/berth/n1/none")).isEmpty();
        Path dir = Files.createDirectories(root.resolve("berth/n1/bad"));
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1\n");
        Files.writeString(dir.resolve("memory.current"), "lots\n");
        assertThat(v2.usage("/berth/n1/bad")).isEmpty();
        Cgroups v1 = new Cgroups(false, Map.of("memory", root.resolve("memory")));
        assertThat(v1.usage("/berth/n1/web")).as("no cpuacct hierarchy").isEmpty();
    }

    @Test
    void missingInactiveFileCountsAsNone(@TempDir Path root) throws Exception {
        Cgroups c = new Cgroups(true, Map.of("", root));
        Path dir = Files.createDirectories(root.resolve("berth/n1/web"));
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 7\n");
        Files.writeString(dir.resolve("memory.current"), "4096\n");
        assertThat(c.usage("/berth/n1/web")).contains(new UsageSample(7000, 4096, 0));
    }

    @Test
    void theInMemoryRuntimeReportsZeroOrWhatItWasToldToUse() throws Exception {
        var clock = new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-12-02T10:00:00Z"));
        java.time.Clock c = new java.time.Clock() {
            public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            public java.time.Clock withZone(java.time.ZoneId z) { return this; }
            public java.time.Instant instant() { return clock.get(); }
        };
        InMemoryRuntime r = new InMemoryRuntime(c, java.util.List.of(ImageStore.BUSYBOX));
        r.start(ContainerSpec.of("web", ImageStore.BUSYBOX, java.util.List.of("sleep", "1d")));
        assertThat(r.usage("web")).contains(new UsageSample(0, 0, 0));
        clock.set(clock.get().plusSeconds(10));
        assertThat(r.usage("web")).contains(new UsageSample(0, 0, 0));
        assertThat(r.use("web", 250, 42L << 20)).isTrue();
        clock.set(clock.get().plusSeconds(4));
        assertThat(r.usage("web")).contains(new UsageSample(1_000_000_000L, 42L << 20, 0)); // 250 m × 4 s
        assertThat(r.using("web")).contains(new InMemoryRuntime.Use(250, 42L << 20));
        assertThat(r.usage("none")).isEmpty();
        r.exit("web", 0);
        assertThat(r.usage("web")).isEmpty();
    }
}
