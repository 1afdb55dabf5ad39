package dev.berth.node.image;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Container root filesystems: {@code mount -t overlay} with the image's layers as lowerdirs (top
 * first, named relative to the layers directory so long images fit the kernel's one-page option
 * limit) and {@code upper/} + {@code work/} in the container's directory; {@code userxattr} because
 * the layers mark opaque directories with {@code user.overlay.opaque}. Where the mount fails, the
 * layers are copied into {@code rootfs/} in order, applying whiteouts and opaque directories the way
 * overlayfs would (hard links within a layer become copies there).
 */
final class Overlay {

    private static final System.Logger LOG = System.getLogger(Overlay.class.getName());
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    static final String ROOTFS = "rootfs";
    static final String UPPER = "upper";
    static final String WORK = "work";

    private Overlay() {}

    static Rootfs mount(List<Path> layers, Path layersDir, Path containerDir, boolean forceCopy) throws IOException {
        Path dir = containerDir.toAbsolutePath();
        String text = dir.toString();
        if (text.contains(",") || text.contains(":") || text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("container dir must not contain ',', ':' or spaces: " + dir);
        }
        Path rootfs = Files.createDirectories(dir.resolve(ROOTFS));
        String why;
        if (forceCopy) {
            why = "copy requested";
        } else if (layers.isEmpty()) {
            why = "the image has no layers (overlayfs needs a lowerdir)";
        } else {
            Path upper = Files.createDirectories(dir.resolve(UPPER));
            Path work = Files.createDirectories(dir.resolve(WORK));
            Files.setPosixFilePermissions(upper, PosixFilePermissions.fromString("rwxr-xr-x"));
            // Top layer first; a layer used twice counts once, at its topmost place (the lower copy adds nothing).
            LinkedHashSet<String> lower = new LinkedHashSet<>();
            for (int i = layers.size() - 1; i >= 0; i--) lower.add(layersDir.toAbsolutePath().relativize(layers.get(i).toAbsolutePath()).toString());
            String options = "lowerdir=" + String.join(":", lower) + ",upperdir=" + upper + ",workdir=" + work + ",userxattr";
            String result = run(layersDir, "mount", "-t", "overlay", "overlay", "-o", options, rootfs.toString());
            if (result == null) return new Rootfs(rootfs, dir, Rootfs.Kind.OVERLAY, "");
            why = "overlay mount failed: " + result;
            LayerUnpacker.removeExisting(upper);
            LayerUnpacker.removeExisting(work);
        }
        LOG.log(Level.WARNING, "rootfs {0} is a copy of the image layers ({1})", rootfs, why);
        for (Path layer : layers) apply(layer, rootfs);
        return new Rootfs(rootfs, dir, Rootfs.Kind.COPY, why);
    }

    static void unmount(Path containerDir) throws IOException {
        Path dir = containerDir.toAbsolutePath();
        Path rootfs = dir.resolve(ROOTFS);
        if (isMountPoint(rootfs)) {
            String result = run(dir, "umount", rootfs.toString());
            if (result != null) {
                // busy (a process still has it open): detach now, the kernel frees it when the last user goes
                String lazy = run(dir, "umount", "-l", rootfs.toString());
                if (lazy != null) throw new IOException("umount " + rootfs + ": " + result + "; lazily: " + lazy);
            }
        }
        for (String part : List.of(ROOTFS, UPPER, WORK)) LayerUnpacker.removeExisting(dir.resolve(part));
    }

    static boolean isMountPoint(Path p) throws IOException {
        String target = p.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length > 4 && unescape(f[4]).equals(target)) return true;
        }
        return false;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** Copies one layer over {@code dest} with overlayfs' meaning of whiteouts and opaque directories. */
    static void apply(Path layer, Path dest) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(layer)) { // pre-order, never follows symlinks
            entries = walk.skip(1).toList();
        }
        List<Path[]> dirTimes = new ArrayList<>();
        for (Path src : entries) {
            Path rel = layer.relativize(src);
            Path to = dest.resolve(rel.toString());
            BasicFileAttributes a = Files.readAttributes(src, BasicFileAttributes.class, NOFOLLOW);
            if (a.isOther() && LayerUnpacker.isWhiteout(src, a)) {
                LayerUnpacker.removeExisting(to);
                continue;
            }
            BasicFileAttributes existing = LayerUnpacker.attrs(to);
            if (a.isDirectory()) {
                if (existing != null && (!existing.isDirectory() || LayerUnpacker.isOpaque(src))) {
                    LayerUnpacker.removeExisting(to);
                    existing = null;
                }
                if (existing == null) Files.createDirectory(to);
                copyOwnerAndMode(src, to);
                dirTimes.add(new Path[] {src, to});
            } else {
                if (existing != null) LayerUnpacker.removeExisting(to);
                if (a.isSymbolicLink()) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(src));
                    if (LayerUnpacker.runningAsRoot()) copyOwner(src, to);
                } else if (a.isRegularFile()) {
                    Files.copy(src, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    copyOwnerAndMode(src, to);
                }
            }
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Files.setLastModifiedTime(dirTimes.get(i)[1], Files.getLastModifiedTime(dirTimes.get(i)[0], NOFOLLOW));
        }
    }

    private static void copyOwnerAndMode(Path src, Path to) throws IOException {
        if (LayerUnpacker.runningAsRoot()) copyOwner(src, to);
        Files.setAttribute(to, "unix:mode", ((Integer) Files.getAttribute(src, "unix:mode", NOFOLLOW)) & 07777, NOFOLLOW);
    }

    private static void copyOwner(Path src, Path to) throws IOException {
        Files.setAttribute(to, "unix:uid", Files.getAttribute(src, "unix:uid", NOFOLLOW), NOFOLLOW);
        Files.setAttribute(to, "unix:gid", Files.getAttribute(src, "unix:gid", NOFOLLOW), NOFOLLOW);
    }

    /** Runs a command; null on success, else its exit code and output. */
    static String run(Path cwd, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
