package dev.berth.node.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Images are plain directories, {@code <root>/images/<name>/rootfs}, shared read-only by every
 * container of that image (the OCI config marks root readonly and mounts a tmpfs on /tmp).
 */
public final class ImageStore {

    public static final String BUSYBOX = "busybox";
    static final String INSTALL_HINT = "apt-get install -y busybox-static";

    private static final System.Logger LOG = System.getLogger(ImageStore.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Path images;

    public ImageStore(Path root) {
        this.images = root.resolve("images");
    }

    /** The rootfs of an image that is present. */
    public Path rootfs(String image) {
        if (!NAME.matcher(image).matches()) throw new IllegalArgumentException("bad image name: " + image);
        Path rootfs = images.resolve(image).resolve("rootfs").toAbsolutePath();
        if (!Files.isDirectory(rootfs)) throw new IllegalArgumentException("image not present: " + image);
        return rootfs;
    }

    /** Names of the images present. */
    public List<String> list() {
        if (!Files.isDirectory(images)) return List.of();
        try (Stream<Path> dirs = Files.list(images)) {
            return dirs.filter(d -> !d.getFileName().toString().startsWith(".")) // skip half-built images
                    .filter(d -> Files.isDirectory(d.resolve("rootfs")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds the {@code busybox} image from the host's static busybox unless present. The image is
     * assembled in a hidden temp dir and renamed into place, so a crash or a concurrent builder
     * never leaves a half-built image visible.
     */
    public Path ensureBusybox() throws IOException {
        Path target = images.resolve(BUSYBOX);
        if (Files.isDirectory(target.resolve("rootfs"))) return rootfs(BUSYBOX);

        Path busybox = findStaticBusybox(busyboxCandidates());
        List<String> applets = applets(busybox);
        Files.createDirectories(images);
        Path tmp = Files.createTempDirectory(images, ".busybox-");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // temp dirs are 0700
            Path rootfs = tmp.resolve("rootfs");
            Path bin = Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            for (String applet : applets) {
                if (!applet.equals("busybox")) Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            // PATH is /usr/bin:/bin:/sbin; make all of them resolve to the applets.
            Files.createSymbolicLink(rootfs.resolve("sbin"), Path.of("bin"));
            Files.createDirectories(rootfs.resolve("usr"));
            Files.createSymbolicLink(rootfs.resolve("usr/bin"), Path.of("../bin"));
            // Mount points must exist up front: the rootfs is shared, runc must not create them in it.
            for (String dir : List.of("proc", "dev", "sys", "tmp", "etc", "root")) {
                Files.createDirectories(rootfs.resolve(dir));
            }
            Files.setPosixFilePermissions(rootfs.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(rootfs.resolve("etc/passwd"),
                    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
            Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            Files.writeString(rootfs.resolve("etc/hostname"), "berth\n");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.log(Level.INFO, "built image busybox from {0} ({1} applets)", busybox, applets.size());
            } catch (IOException e) {
                // rename(2) onto a non-empty dir fails: another builder won the race, keep its image.
                if (!Files.isDirectory(target.resolve("rootfs"))) throw e;
                LOG.log(Level.DEBUG, "busybox image built concurrently; keeping the existing one");
            }
        } finally {
            deleteRecursively(tmp);
        }
        return rootfs(BUSYBOX);
    }

    static List<Path> busyboxCandidates() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox")));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) candidates.add(Path.of(dir, "busybox"));
        }
        return candidates;
    }

    /** The first busybox found, which must be statically linked: the rootfs holds no libc. */
    public static Path findStaticBusybox(List<Path> candidates) throws IOException {
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                if (hasInterpreter(p)) {
                    throw new IllegalStateException(p + " is dynamically linked and cannot run in an empty rootfs; run: "
                            + INSTALL_HINT);
                }
                return p.toRealPath();
            }
        }
        throw new IllegalStateException("busybox is not installed (needed for the busybox image); run: " + INSTALL_HINT);
    }

    /** True if the ELF file has a PT_INTERP header, i.e. needs a dynamic loader (avoids depending on `file`). */
    static boolean hasInterpreter(Path elf) throws IOException {
        try (FileChannel ch = FileChannel.open(elf)) {
            ByteBuffer hdr = ByteBuffer.allocate(64);
            ch.read(hdr, 0);
            if (hdr.getInt(0) != 0x7f454c46) throw new IllegalStateException(elf + " is not an ELF binary");
            boolean is64 = hdr.get(4) == 2;
            hdr.order(hdr.get(5) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            long phoff = is64 ? hdr.getLong(0x20) : Integer.toUnsignedLong(hdr.getInt(0x1c));
            int phentsize = Short.toUnsignedInt(hdr.getShort(is64 ? 0x36 : 0x2a));
            int phnum = Short.toUnsignedInt(hdr.getShort(is64 ? 0x38 : 0x2c));
            ByteBuffer ph = ByteBuffer.allocate(phentsize * phnum).order(hdr.order());
            ch.read(ph, phoff);
            for (int i = 0; i < phnum; i++) {
                if (ph.getInt(i * phentsize) == 3 /* PT_INTERP */) return true;
            }
            return false;
        }
    }

    static List<String> applets(Path busybox) throws IOException {
        Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(busybox + " --list failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        // Applet names are plain words; anything else ("[", "[[" are fine) with a slash would escape bin/.
        return out.lines().map(String::strip).filter(a -> !a.isEmpty() && !a.contains("/")).toList();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(dir)) { // does not follow symlinks
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
