package dev.berth.node;

import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.VolumeMount;
import dev.berth.node.core.PodConfig;
import dev.berth.node.runtime.BindMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The shell's side of a pod's volumes ({@link PodConfig} decides their content): each made once per pod on this node,
 * under {@code <disk>/<pod>/<volume>}, or on a tmpfs under {@code <memory>/<pod>/<volume>} for Secret volumes and
 * {@code emptyDir: {medium: Memory}} (the kubelet keeps Secrets off the disk). A configMap or secret volume is a
 * directory of files written into a fresh directory and renamed into place, so a container never sees half of it; a
 * Memory emptyDir with a size (its sizeLimit) is its own tmpfs of that size where the node may mount one. Everything
 * goes with the pod ({@link #remove}). Blocking: call on a worker. Never logs or throws a file's content.
 */
public final class PodVolumes {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SHARED = PosixFilePermissions.fromString("rwxrwxrwx");

    private final Path disk;
    private final Path memory;
    private final boolean mountTmpfs;

    public PodVolumes(Path disk, Path memory, boolean mountTmpfs) {
        this.disk = disk.toAbsolutePath().normalize();
        this.memory = memory.toAbsolutePath().normalize();
        this.mountTmpfs = mountTmpfs;
    }

    /** A node's volumes: on disk in its state directory, in memory under /dev/shm (a tmpfs) when the host has it. */
    public static PodVolumes of(NodeAgentOptions options, boolean mountTmpfs) {
        Path disk = options.stateDir().resolve("pods");
        Path shm = Path.of("/dev/shm");
        String id = options.nodeName() + "-" + Integer.toHexString(options.stateDir().toAbsolutePath().normalize().hashCode());
        Path memory = Files.isDirectory(shm) && Files.isWritable(shm) ? shm.resolve("berth-" + id) : options.stateDir().resolve("pods-memory");
        return new PodVolumes(disk, memory, mountTmpfs);
    }

    /** A volume could not be made on the node: the start fails with FailedMount. */
    public static final class Failed extends IOException {
        public Failed(String message) { super(message); }
    }

    /** {@link #prepare} the pod's volumes and the mounts of {@code c}; any failure as {@link Failed}, naming no content. */
    public List<BindMount> mounts(String pod, Container c, List<PodConfig.VolumeContent> volumes, Long podMemoryBytes) throws Failed {
        try {
            Map<String, Boolean> emptyDirs = new LinkedHashMap<>();
            for (PodConfig.VolumeContent v : volumes) emptyDirs.put(v.name(), v.isEmptyDir());
            return mounts(c, prepare(pod, volumes, podMemoryBytes == null ? 0 : podMemoryBytes), emptyDirs);
        } catch (Failed e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new Failed("MountVolume.SetUp failed: " + e.getMessage());
        }
    }

    /** Makes the pod's volumes that are not there yet; each volume's host directory by name. */
    public Map<String, Path> prepare(String pod, List<PodConfig.VolumeContent> volumes, long podMemoryBytes) throws IOException {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (PodConfig.VolumeContent v : volumes) {
            Path dir = dev.berth.bus.Limits.inside(podDir(pod, v.inMemory()), v.name()); // a record's name: never a path
            dirs.put(v.name(), dir);
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue; // made for an earlier container of the pod
            if (v.isEmptyDir()) emptyDir(dir, v, podMemoryBytes);
            else files(dir, v.files());
        }
        return dirs;
    }

    /** The container's mounts: each volumeMount at its path, from the volume's directory (or its subPath in it). */
    public static List<BindMount> mounts(Container c, Map<String, Path> dirs, Map<String, Boolean> emptyDirs) throws IOException {
        List<BindMount> mounts = new ArrayList<>();
        for (VolumeMount m : c.volumeMounts()) {
            Path dir = dirs.get(m.name());
            if (dir == null) continue; // validation makes every mount name a volume
            boolean writable = emptyDirs.getOrDefault(m.name(), false);
            Path source = dir;
            if (m.subPath() != null) {
                source = dir.resolve(m.subPath()).normalize();
                if (!source.startsWith(dir)) throw new IOException("subPath " + m.subPath() + " leaves its volume");
                if (writable && !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(source); // the kubelet makes a missing subPath as a directory
                    Files.setPosixFilePermissions(source, SHARED);
                }
                if (Files.isSymbolicLink(source)) throw new IOException("subPath " + m.subPath() + " is a symbolic link");
            }
            mounts.add(new BindMount(source, m.mountPath(), m.readOnly() || !writable));
        }
        return mounts;
    }

    /** The pod's volumes go (its tmpfs unmounted first). Idempotent; returns what could not be removed. */
    public List<Exception> remove(String pod) {
        List<Exception> failed = new ArrayList<>();
        for (boolean inMemory : new boolean[] {false, true}) {
            Path dir = podDir(pod, inMemory);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) continue;
            try (var volumes = Files.list(dir)) {
                for (Path v : volumes.toList()) if (isMountPoint(v)) umount(v);
            } catch (IOException e) {
                failed.add(e);
            }
            try {
                deleteRecursively(dir);
            } catch (IOException e) {
                failed.add(e);
            }
        }
        return failed;
    }

    /** Every pod's volumes go: the node stops for good. */
    public List<Exception> removeAll() {
        List<Exception> failed = new ArrayList<>();
        for (Path root : List.of(disk, memory)) {
            if (!Files.isDirectory(root)) continue;
            try (var pods = Files.list(root)) {
                for (Path p : pods.toList()) failed.addAll(remove(p.getFileName().toString()));
                Files.deleteIfExists(root);
            } catch (IOException e) {
                failed.add(e);
            }
        }
        return failed;
    }

    private Path podDir(String pod, boolean inMemory) {
        return dev.berth.bus.Limits.inside(inMemory ? memory : disk, pod);
    }

    private static void root(Path podDir) throws IOException {
        Files.createDirectories(podDir);
        Files.setPosixFilePermissions(podDir.getParent(), PRIVATE); // only root walks to the volumes; runc bind-mounts them
    }

    private void emptyDir(Path dir, PodConfig.VolumeContent v, long podMemoryBytes) throws IOException {
        root(dir.getParent());
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, SHARED); // the kubelet's 0777: any user of any container of the pod writes
        Long size = v.emptyDir().sizeLimit() != null ? v.emptyDir().sizeLimit() : podMemoryBytes > 0 ? podMemoryBytes : null;
        if (mountTmpfs && v.inMemory() && size != null && size > 0) run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0777", "tmpfs", dir.toString());
    }

    private static void files(Path dir, List<PodConfig.File> files) throws IOException {
        root(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + "-");
        try {
            for (PodConfig.File f : files) {
                Path file = tmp.resolve(f.path()).normalize();
                if (!file.startsWith(tmp)) throw new IOException("path " + f.path() + " leaves its volume");
                Files.createDirectories(file.getParent());
                Files.write(file, f.content());
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions(f.mode())));
            }
            try (var all = Files.walk(tmp)) {
                for (Path d : all.filter(Files::isDirectory).toList()) Files.setPosixFilePermissions(d, DIR);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) deleteRecursively(tmp);
        }
    }

    /** Deletes without following links: a container may leave any link in its emptyDir. */
    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** "rw-r--r--" for 0644. */
    static String permissions(int mode) {
        String all = "rwxrwxrwx";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 9; i++) b.append((mode & (1 << (8 - i))) != 0 ? all.charAt(i) : '-');
        return b.toString();
    }

    private static boolean isMountPoint(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return false;
        return !Files.getAttribute(p, "unix:dev").equals(Files.getAttribute(p.getParent(), "unix:dev"));
    }

    private static void umount(Path dir) throws IOException {
        run("umount", dir.toString());
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command[0] + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command[0] + " interrupted");
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + ": " + out);
    }
}
