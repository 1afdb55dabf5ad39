package dev.berth.node.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where the host's cgroups live. Two layouts exist:
 * <ul>
 *   <li>v1 / hybrid: one hierarchy per controller (/sys/fs/cgroup/memory, .../cpu, ...), possibly
 *       plus a controller-less cgroup2 mount (/sys/fs/cgroup/unified) and name=systemd;</li>
 *   <li>unified v2: a single cgroup2 hierarchy holding every controller (most real machines).</li>
 * </ul>
 * The layout is read from /proc/self/mountinfo rather than guessed from paths, because v1 hosts
 * mount controllers under varying names ("cpu,cpuacct", "cpu" symlinks, ...).
 */
public final class Cgroups {

    /** v1 reports "no limit" as a page-aligned Long.MAX_VALUE; anything this large means unlimited. */
    private static final long V1_UNLIMITED_THRESHOLD = 1L << 62;

    private final boolean unified;
    /** controller name ("memory", "cpu", "name=systemd", "" for a cgroup2 mount) -> mount point. */
    private final Map<String, Path> mounts;

    Cgroups(boolean unified, Map<String, Path> mounts) {
        this.unified = unified;
        this.mounts = Map.copyOf(mounts);
    }

    /** Detects the layout of the running host. */
    public static Cgroups detect() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }

    /** Parses mountinfo lines: "... mountPoint ... - fstype source superOptions". */
    static Cgroups parse(List<String> mountinfo) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        Path v2Root = null;
        for (String line : mountinfo) {
            String[] halves = line.split(" - ", 2);
            if (halves.length != 2) continue;
            String[] pre = halves[0].split(" ");
            String[] post = halves[1].split(" ");
            if (pre.length < 5 || post.length < 3) continue;
            Path mountPoint = Path.of(pre[4]);
            switch (post[0]) {
                case "cgroup2" -> {
                    mounts.putIfAbsent("", mountPoint);
                    if (v2Root == null) v2Root = mountPoint;
                }
                case "cgroup" -> {
                    for (String opt : post[2].split(",")) {
                        if (!opt.equals("rw") && !opt.equals("ro")) mounts.putIfAbsent(opt, mountPoint);
                    }
                }
                default -> { }
            }
        }
        if (mounts.isEmpty()) throw new IllegalStateException("no cgroup filesystem mounted");
        // Unified: a cgroup2 mount and no v1 memory hierarchy (a leftover v1 name=systemd mount may coexist).
        boolean unified = v2Root != null && !mounts.containsKey("memory");
        return new Cgroups(unified, mounts);
    }

    public boolean unified() {
        return unified;
    }

    /** The directory of cgroupsPath (e.g. "/berth/node-1/web") in the hierarchy holding controller. */
    public Path cgroupDir(String controller, String cgroupsPath) {
        Path root = unified ? mounts.get("") : mounts.get(controller);
        if (root == null) throw new IllegalStateException("cgroup controller not mounted: " + controller);
        return root.resolve(relative(cgroupsPath));
    }

    /** Every hierarchy root: runc creates cgroupsPath in all of them (incl. name=systemd and unified on hybrid hosts). */
    public List<Path> hierarchyRoots() {
        return mounts.values().stream().distinct().toList();
    }

    /** True if cgroupsPath is present in any hierarchy, i.e. something was left behind. */
    public boolean exists(String cgroupsPath) {
        return hierarchyRoots().stream().anyMatch(root -> Files.isDirectory(root.resolve(relative(cgroupsPath))));
    }

    /** rmdir cgroupsPath in every hierarchy; a cgroup that still holds processes stays (EBUSY is ignored). */
    public void remove(String cgroupsPath) {
        Path rel = relative(cgroupsPath);
        for (Path root : hierarchyRoots()) rmdir(root.resolve(rel));
    }

    /**
     * rmdir cgroupsPath and then each of its ancestors, deepest first, in every hierarchy, stopping at the
     * first one still in use (e.g. "/berth" while another node agent on this host has "/berth/node-2").
     */
    public void removeWithAncestors(String cgroupsPath) {
        Path rel = relative(cgroupsPath);
        for (Path root : hierarchyRoots()) {
            Path p = rel;
            while (p != null && rmdir(root.resolve(p))) p = p.getParent();
        }
    }

    /** rmdir(2) (Files.delete does that for directories): cgroup dirs vanish along with their pseudo-files. */
    private static boolean rmdir(Path dir) {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException busyOrNotEmpty) {
            return false;
        }
    }

    /**
     * True if memory+swap can be limited: v1 with swap accounting (memory.memsw.*), or v2 with memory.swap.max in its
     * non-root cgroups (runc writes memory.swap.max = 0 for swap = limit). runc fails on a swap limit otherwise.
     */
    public boolean supportsMemsw() {
        if (unified) {
            Path root = mounts.get("");
            try (var children = Files.list(root)) {
                return children.anyMatch(c -> Files.exists(c.resolve("memory.swap.max")));
            } catch (IOException e) {
                return false;
            }
        }
        return mounts.containsKey("memory")
                && Files.exists(mounts.get("memory").resolve("memory.memsw.limit_in_bytes"));
    }

    /** Memory limit in bytes, or -1 if unlimited. */
    public long memoryLimit(String cgroupsPath) throws IOException {
        String v = unified
                ? read(cgroupDir("memory", cgroupsPath).resolve("memory.max"))
                : read(cgroupDir("memory", cgroupsPath).resolve("memory.limit_in_bytes"));
        if (v.equals("max")) return -1;
        long bytes = Long.parseLong(v);
        return bytes >= V1_UNLIMITED_THRESHOLD ? -1 : bytes;
    }

    /** CFS quota in microseconds per period, or -1 if unlimited. */
    public long cpuQuota(String cgroupsPath) throws IOException {
        if (unified) {
            String quota = read(cgroupDir("cpu", cgroupsPath).resolve("cpu.max")).split(" ")[0]; // "25000 100000"
            return quota.equals("max") ? -1 : Long.parseLong(quota);
        }
        return Long.parseLong(read(cgroupDir("cpu", cgroupsPath).resolve("cpu.cfs_quota_us")));
    }

    /**
     * How many processes of the cgroup the kernel's OOM killer killed: {@code oom_kill} in memory.events (v2)
     * or memory.oom_control (v1, kernels since 4.13). Empty if the kernel keeps no such counter or the cgroup
     * is gone. The cgroup must still exist after the container ended, hence {@code runc run --keep}.
     */
    public OptionalLong oomKills(String cgroupsPath) {
        Path dir = cgroupDir("memory", cgroupsPath);
        return counter(dir.resolve(unified ? "memory.events" : "memory.oom_control"), "oom_kill");
    }

    /**
     * How often the cgroup's memory use hit its limit: {@code max} in memory.events (v2), memory.failcnt (v1).
     * The fallback OOM signal for kernels without an oom_kill counter, together with a SIGKILL exit.
     */
    public OptionalLong memoryLimitHits(String cgroupsPath) {
        Path dir = cgroupDir("memory", cgroupsPath);
        if (unified) return counter(dir.resolve("memory.events"), "max");
        try {
            return OptionalLong.of(Long.parseLong(read(dir.resolve("memory.failcnt"))));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The cgroup's CPU and memory usage now: v2 cpu.stat usage_usec, memory.current and memory.stat
     * inactive_file; v1 cpuacct.usage, memory.usage_in_bytes and memory.stat total_inactive_file (the
     * hierarchical one: a container's processes may sit in child cgroups). Empty if the cgroup is gone.
     */
    public java.util.Optional<dev.berth.node.metrics.UsageSample> usage(String cgroupsPath) {
        try {
            if (unified) {
                Path dir = cgroupDir("memory", cgroupsPath);
                OptionalLong usec = counter(dir.resolve("cpu.stat"), "usage_usec");
                if (usec.isEmpty()) return java.util.Optional.empty();
                return java.util.Optional.of(new dev.berth.node.metrics.UsageSample(usec.getAsLong() * 1000,
                        Long.parseLong(read(dir.resolve("memory.current"))),
                        counter(dir.resolve("memory.stat"), "inactive_file").orElse(0)));
            }
            Path memory = cgroupDir("memory", cgroupsPath);
            return java.util.Optional.of(new dev.berth.node.metrics.UsageSample(
                    Long.parseLong(read(cgroupDir("cpuacct", cgroupsPath).resolve("cpuacct.usage"))),
                    Long.parseLong(read(memory.resolve("memory.usage_in_bytes"))),
                    counter(memory.resolve("memory.stat"), "total_inactive_file").orElse(0)));
        } catch (IOException | NumberFormatException | IllegalStateException e) {
            return java.util.Optional.empty(); // gone (the container ended meanwhile) or unreadable: no reading
        }
    }

    /** A "name value" line of a flat-keyed cgroup file. */
    static OptionalLong counter(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals(name)) return OptionalLong.of(Long.parseLong(kv[1]));
            }
        } catch (IOException | NumberFormatException e) {
            // gone or unreadable: no answer rather than a wrong one
        }
        return OptionalLong.empty();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    private static Path relative(String cgroupsPath) {
        String rel = cgroupsPath.replaceAll("^/+", "");
        if (rel.isEmpty() || Path.of(rel).normalize().startsWith("..")) {
            throw new IllegalArgumentException("bad cgroups path: " + cgroupsPath);
        }
        return Path.of(rel);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        mounts.forEach((k, v) -> parts.add((k.isEmpty() ? "cgroup2" : k) + "=" + v));
        return (unified ? "cgroup v2 " : "cgroup v1 ") + parts;
    }
}
