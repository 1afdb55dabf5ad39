package dev.berth.node.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.node.image.ProcessSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an OCI runtime-spec 1.0.2 bundle ({@code config.json}) for a {@link ContainerSpec}. The
 * shape follows {@code runc spec} defaults, minus the terminal and the /sys/fs/cgroup mount, plus
 * resource limits and Docker's hardening as {@link ContainerSecurity} decides it from the securityContext
 * (capabilities, no_new_privileges, the default seccomp profile, masked paths, a cgroup namespace). A container of an image gets its own writable rootfs (an overlay) and the process
 * its image config resolves to; the older shape, a shared read-only rootfs with a tmpfs /tmp and
 * root running the pod's argv, stays for the raw-runc benchmark's baseline.
 */
public final class OciBundle {

    public static final String CONFIG = "config.json";
    static final long CPU_PERIOD_US = 100_000;
    /** The kernel rejects a CFS quota below 1 ms. */
    static final long MIN_CPU_QUOTA_US = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Docker's /dev/shm size. */
    static final String SHM_SIZE = "size=65536k";

    private OciBundle() {
    }

    /**
     * Writes {@code <bundleDir>/config.json}.
     *
     * @param rootfs      absolute path of the image rootfs (shared, mounted read-only)
     * @param cgroupsPath e.g. "/berth/node-1/web"
     * @param limitSwap   set memory+swap = memory so a container cannot escape its limit into swap;
     *                    only where the host has swap accounting (see {@link Cgroups#supportsMemsw()})
     */
    public static Path write(Path bundleDir, ContainerSpec spec, Path rootfs, String cgroupsPath, boolean limitSwap)
            throws IOException {
        return write(bundleDir, spec, config(spec, rootfs, cgroupsPath, limitSwap));
    }

    /**
     * Writes {@code <bundleDir>/config.json} for a container of an image: the writable {@code rootfs}
     * is the container's own, {@code process} what the image config resolved to (with HOSTNAME added
     * unless set). No tmpfs on /tmp: as in Kubernetes, /tmp is the image's.
     */
    public static Path write(Path bundleDir, ContainerSpec spec, ProcessSpec process, Path rootfs, String cgroupsPath,
                             boolean limitSwap) throws IOException {
        return write(bundleDir, spec, config(spec, process, rootfs, cgroupsPath, limitSwap));
    }

    /** The file a container's own resolv.conf is bind-mounted from: in its bundle, so it goes with the pod. */
    public static final String RESOLV_CONF = "resolv.conf";

    private static Path write(Path bundleDir, ContainerSpec spec, ObjectNode config) throws IOException {
        Files.createDirectories(bundleDir);
        if (spec.resolvConf() != null) {
            Path resolv = bundleDir.resolve(RESOLV_CONF);
            Files.writeString(resolv, spec.resolvConf());
            resolvConfMount((ArrayNode) config.get("mounts"), resolv);
        }
        volumeMounts((ArrayNode) config.get("mounts"), spec.mounts());
        // The process's env holds the values of Secrets (valueFrom, envFrom): only root (runc) may read it, from its first byte.
        Path file = bundleDir.resolve(CONFIG);
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newOutputStream(file)) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out, config);
        }
        return file;
    }

    static ObjectNode config(ContainerSpec spec, Path rootfs, String cgroupsPath, boolean limitSwap) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin:/sbin");
        env.put("HOSTNAME", spec.hostname());
        env.putAll(spec.env()); // the spec may override the defaults: no duplicate keys reach execve
        ProcessSpec p = new ProcessSpec(spec.argv(), env, "/", 0, 0, List.of());
        return config(spec, p, rootfs, true, cgroupsPath, limitSwap);
    }

    static ObjectNode config(ContainerSpec spec, ProcessSpec process, Path rootfs, String cgroupsPath, boolean limitSwap) {
        Map<String, String> env = new LinkedHashMap<>(process.env());
        env.putIfAbsent("HOSTNAME", spec.hostname());
        ProcessSpec p = new ProcessSpec(process.argv(), env, process.cwd(), process.uid(), process.gid(), process.additionalGids());
        return config(spec, p, rootfs, false, cgroupsPath, limitSwap);
    }

    private static ObjectNode config(ContainerSpec spec, ProcessSpec process, Path rootfs, boolean sharedReadOnly,
                                     String cgroupsPath, boolean limitSwap) {
        ContainerSecurity security = ContainerSecurity.of(spec.securityContext());
        ObjectNode c = JSON.createObjectNode();
        c.put("ociVersion", "1.0.2");
        c.set("process", process(process, security));
        c.putObject("root").put("path", rootfs.toAbsolutePath().toString()).put("readonly", sharedReadOnly || security.readOnlyRootfs());
        c.put("hostname", spec.hostname());
        c.set("mounts", mounts(sharedReadOnly, spec.memoryBytes(), security.privileged()));
        c.set("linux", linux(spec, cgroupsPath, limitSwap, security));
        if (spec.networkNamespace() != null) dev.berth.node.network.OciNetworkNamespace.join(c, spec.networkNamespace());
        if (!spec.annotations().isEmpty()) {
            ObjectNode annotations = c.putObject("annotations");
            spec.annotations().forEach(annotations::put);
        }
        return c;
    }

    private static ObjectNode process(ProcessSpec process, ContainerSecurity security) {
        ObjectNode p = JSON.createObjectNode();
        p.put("terminal", false); // stdio is inherited from runc, i.e. goes to the container log
        ObjectNode user = p.putObject("user").put("uid", process.uid()).put("gid", process.gid());
        if (!process.additionalGids().isEmpty()) {
            ArrayNode gids = user.putArray("additionalGids");
            process.additionalGids().forEach(gids::add);
        }
        strings(p.putArray("args"), process.argv());
        strings(p.putArray("env"), process.envList());
        p.put("cwd", process.cwd());
        ObjectNode caps = p.putObject("capabilities");
        // No ambient or inheritable set: a non-root process loses them all at exec, as under Docker and containerd.
        for (String set : List.of("bounding", "effective", "permitted")) strings(caps.putArray(set), security.capabilities());
        p.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", 1024).put("soft", 1024);
        p.put("noNewPrivileges", security.noNewPrivileges());
        return p;
    }

    private static ArrayNode mounts(boolean tmpfsTmp, long memoryBytes, boolean privileged) {
        ArrayNode m = JSON.createArrayNode();
        mount(m, "/proc", "proc", "proc");
        mount(m, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(m, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        mount(m, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", SHM_SIZE);
        mount(m, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(m, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", privileged ? "rw" : "ro");
        // The only writable place of a read-only rootfs; tmpfs pages are charged to the container's memory cgroup,
        // and it is sized as Kubernetes sizes a memory-backed emptyDir: at most the memory limit (the kernel's
        // default, half the host's RAM, when unlimited).
        if (tmpfsTmp) {
            if (memoryBytes > 0) mount(m, "/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777", "size=" + memoryBytes);
            else mount(m, "/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777");
        }
        return m;
    }

    /** Read-only, as the kubelet mounts the resolv.conf it writes: a container cannot redirect its own lookups. */
    static void resolvConfMount(ArrayNode mounts, Path file) {
        mount(mounts, "/etc/resolv.conf", "bind", file.toAbsolutePath().toString(), "rbind", "ro", "nosuid", "nodev", "noexec");
    }

    /** The pod's volumes, after the standard mounts (so a volume may sit under /tmp or /run). */
    static void volumeMounts(ArrayNode mounts, List<BindMount> volumes) {
        for (BindMount v : volumes) {
            if (v.readOnly()) mount(mounts, v.destination(), "bind", v.source().toAbsolutePath().toString(), "rbind", "ro", "nosuid", "nodev");
            else mount(mounts, v.destination(), "bind", v.source().toAbsolutePath().toString(), "rbind", "rw", "nosuid", "nodev");
        }
    }

    private static void mount(ArrayNode mounts, String dest, String type, String source, String... options) {
        ObjectNode m = mounts.addObject().put("destination", dest).put("type", type).put("source", source);
        if (options.length > 0) strings(m.putArray("options"), List.of(options));
    }

    private static ObjectNode linux(ContainerSpec spec, String cgroupsPath, boolean limitSwap, ContainerSecurity security) {
        ObjectNode l = JSON.createObjectNode();
        ArrayNode ns = l.putArray("namespaces");
        // No "path": runc creates fresh namespaces; the network one is the pod's when it has one (set up by CNI).
        // A cgroup namespace, as Docker on cgroup v2 and containerd: /proc/self/cgroup shows "/", not the node's tree.
        for (String type : List.of("pid", "network", "ipc", "uts", "mount", "cgroup")) ns.addObject().put("type", type);
        l.put("cgroupsPath", cgroupsPath);

        ObjectNode res = l.putObject("resources");
        res.putArray("devices").addObject().put("allow", false).put("access", "rwm"); // runc adds the std devices
        if (spec.memoryBytes() > 0) {
            ObjectNode mem = res.putObject("memory").put("limit", spec.memoryBytes());
            if (limitSwap) mem.put("swap", spec.memoryBytes());
        }
        if (spec.cpuMillis() > 0) {
            // 1000m = one full CPU = a quota equal to the period; 250m -> 25000 µs per 100000 µs.
            long quota = Math.max(MIN_CPU_QUOTA_US, spec.cpuMillis() * CPU_PERIOD_US / 1000);
            res.putObject("cpu").put("period", CPU_PERIOD_US).put("quota", quota);
        }
        res.putObject("pids").put("limit", spec.pidsLimit());

        if (!security.privileged()) { // as Docker: a privileged container sees /proc and /sys whole
            strings(l.putArray("maskedPaths"), ContainerSecurity.MASKED_PATHS);
            strings(l.putArray("readonlyPaths"), ContainerSecurity.READONLY_PATHS);
        }
        if (security.seccomp()) {
            l.set("seccomp", Seccomp.profile(new java.util.HashSet<>(security.capabilities()), Seccomp.Host.current()));
        }
        return l;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
