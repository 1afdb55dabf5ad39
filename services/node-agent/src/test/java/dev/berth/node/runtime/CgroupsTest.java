package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout detection and limit parsing for both cgroup layouts, without needing either on the host. */
class CgroupsTest {

    private static final List<String> HYBRID = List.of(
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "39 31 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
            "40 31 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
    private static final List<String> UNIFIED = List.of(
            "25 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate",
            "26 22 0:5 / /proc rw,relatime - proc proc rw");

    @Test
    void detectsHybridLayout() {
        Cgroups c = Cgroups.parse(HYBRID);
        assertThat(c.unified()).isFalse();
        assertThat(c.cgroupDir("memory", "/berth/n1/web")).isEqualTo(Path.of("/sys/fs/cgroup/memory/berth/n1/web"));
        assertThat(c.cgroupDir("cpu", "/berth/n1/web")).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct/berth/n1/web"));
        assertThat(c.hierarchyRoots()).contains(Path.of("/sys/fs/cgroup/systemd"), Path.of("/sys/fs/cgroup/unified"));
    }

    @Test
    void detectsUnifiedLayout() {
        Cgroups c = Cgroups.parse(UNIFIED);
        assertThat(c.unified()).isTrue();
        assertThat(c.cgroupDir("memory", "/berth/n1/web")).isEqualTo(Path.of("/sys/fs/cgroup/berth/n1/web"));
        assertThat(c.hierarchyRoots()).containsExactly(Path.of("/sys/fs/cgroup"));
        assertThat(c.supportsMemsw()).isFalse();
    }

    @Test
    void readsV2Limits(@TempDir Path root) throws Exception {
        Cgroups c = new Cgroups(true, Map.of("", root));
        Path dir = Files.createDirectories(root.resolve("berth/n1/web"));
        Files.writeString(dir.resolve("memory.max"), "67108864\n");
        Files.writeString(dir.resolve("cpu.max"), "25000 100000\n");
        assertThat(c.memoryLimit("/berth/n1/web")).isEqualTo(67108864);
        assertThat(c.cpuQuota("/berth/n1/web")).isEqualTo(25000);
        Files.writeString(dir.resolve("memory.max"), "max\n");
        Files.writeString(dir.resolve("cpu.max"), "max 100000\n");
        assertThat(c.memoryLimit("/berth/n1/web")).isEqualTo(-1);
        assertThat(c.cpuQuota("/berth/n1/web")).isEqualTo(-1);
    }

    @Test
    void readsV1Limits(@TempDir Path root) throws Exception {
        Path mem = root.resolve("memory");
        Path cpu = root.resolve("cpu");
        Cgroups c = new Cgroups(false, Map.of("memory", mem, "cpu", cpu));
        Files.createDirectories(mem.resolve("berth/n1/web"));
        Files.createDirectories(cpu.resolve("berth/n1/web"));
        Files.writeString(mem.resolve("berth/n1/web/memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(cpu.resolve("berth/n1/web/cpu.cfs_quota_us"), "-1\n");
        assertThat(c.memoryLimit("/berth/n1/web")).isEqualTo(-1);
        assertThat(c.cpuQuota("/berth/n1/web")).isEqualTo(-1);
        assertThat(c.exists("/berth/n1/web")).isTrue();
    }

    @Test
    void removeWithAncestorsStopsAtABusyParent(@TempDir Path root) throws Exception {
        Cgroups c = new Cgroups(true, Map.of("", root));
        Files.createDirectories(root.resolve("berth/n1"));
        Files.createDirectories(root.resolve("berth/n2"));
        c.removeWithAncestors("/berth/n1");
        assertThat(root.resolve("berth/n1")).doesNotExist();
        assertThat(root.resolve("berth/n2")).exists(); // another node's cgroup keeps /berth
        c.removeWithAncestors("/berth/n2");
        assertThat(c.exists("/berth")).isFalse();
    }

    @Test
    void readsV2OomKillsFromMemoryEvents(@TempDir Path root) throws Exception {
        Cgroups c = new Cgroups(true, Map.of("", root));
        Path dir = Files.createDirectories(root.resolve("berth/n1/hog"));
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");
        assertThat(c.oomKills("/berth/n1/hog")).hasValue(1);
        assertThat(c.memoryLimitHits("/berth/n1/hog")).hasValue(12);
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        assertThat(c.oomKills("/berth/n1/hog")).hasValue(0);
    }

    @Test
    void readsV1OomKillsFromOomControl(@TempDir Path root) throws Exception {
        Path mem = root.resolve("memory");
        Cgroups c = new Cgroups(false, Map.of("memory", mem));
        Path dir = Files.createDirectories(mem.resolve("berth/n1/hog"));
        Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        Files.writeString(dir.resolve("memory.failcnt"), "37\n");
        assertThat(c.oomKills("/berth/n1/hog")).hasValue(2);
        assertThat(c.memoryLimitHits("/berth/n1/hog")).hasValue(37);
    }

    @Test
    void oldV1KernelsHaveNoOomKillCounter(@TempDir Path root) throws Exception {
        Path mem = root.resolve("memory");
        Cgroups c = new Cgroups(false, Map.of("memory", mem));
        Path dir = Files.createDirectories(mem.resolve("berth/n1/hog"));
        Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\n");
        assertThat(c.oomKills("/berth/n1/hog")).isEmpty();
        assertThat(c.oomKills("/berth/n1/gone")).as("cgroup removed").isEmpty();
        assertThat(c.memoryLimitHits("/berth/n1/gone")).isEmpty();
    }
}
