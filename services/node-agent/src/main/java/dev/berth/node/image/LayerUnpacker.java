package dev.berth.node.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks one image layer (a tar, gzipped or not) into its own directory in overlayfs' format, so
 * the directory can serve as a lowerdir as is: an OCI whiteout {@code .wh.NAME} becomes a 0/0
 * character device {@code NAME}, an opaque marker {@code .wh..wh..opq} becomes the xattr
 * {@code user.overlay.opaque=y} on its directory (the overlay is mounted with {@code userxattr}).
 *
 * <p>Entries keep their mode (setuid included), ownership (lchown, as root) and mtime; hard links must
 * point at an entry of the same layer; devices and FIFOs are skipped (runc provides /dev). An entry
 * that would land outside the layer is refused: absolute names, {@code ..} components, and any write
 * through a symbolic link (a parent that is a symlink could point anywhere). Symlinks themselves may
 * point anywhere: they are resolved inside the container's root, and unpacking never follows them.
 *
 * <p>Also computes the layer's diffID (sha256 of the uncompressed tar) to check it against the image
 * config. Hand-written over Commons Compress because the OCI rules (whiteouts, escapes) are not a
 * library's: the tar and gzip parsing are.
 */
final class LayerUnpacker {

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    static final String OPAQUE_XATTR = "overlay.opaque"; // user.overlay.opaque through the user-defined view
    static final int MAX_ENTRIES = 1_000_000;

    private static final boolean ROOT = isRoot();
    /** The process umask, to know which modes file creation already gives. */
    private static final int UMASK = umask();
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    record Result(Digest diffId, int entries, int skipped, long bytes) {}

    private LayerUnpacker() {}

    /** Unpacks {@code layer} into the existing, empty directory {@code dest}. */
    static Result unpack(InputStream layer, Path dest) throws IOException {
        InputStream unclosed = new java.io.FilterInputStream(layer) {
            @Override
            public void close() {
                // the caller owns the stream: it may read on (to finish a digest) after the tar ends or fails
            }
        };
        BufferedInputStream buffered = new BufferedInputStream(unclosed, 1 << 16);
        InputStream plain = decompressed(buffered);
        MessageDigest sha = Digest.sha256();
        DigestInputStream hashed = new DigestInputStream(plain, sha);
        Unpack u = new Unpack(dest);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(hashed, 1 << 16))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (++u.entries > MAX_ENTRIES) throw new LayerException("more than " + MAX_ENTRIES + " entries");
                u.apply(e, tar);
            }
            hashed.transferTo(OutputStream.nullOutputStream()); // trailing padding counts for the diffID
        }
        u.finishDirectories();
        return new Result(Digest.from(sha), u.entries, u.skipped, u.bytes);
    }

    private static InputStream decompressed(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GzipCompressorInputStream(in, true);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            throw new LayerException("zstd-compressed layers are not supported");
        }
        return in;
    }

    /** A layer entry Berth refuses to unpack, or a layer it cannot read. */
    static final class LayerException extends IOException {
        LayerException(String message) {
            super(message);
        }
    }

    private record DirTime(Path dir, FileTime mtime) {}

    private static final class Unpack {
        final Path root;
        final List<DirTime> dirTimes = new ArrayList<>(); // directories get their mtime last: children change it
        int entries;
        int skipped;
        long bytes;

        Unpack(Path root) {
            this.root = root;
        }

        void apply(TarArchiveEntry e, InputStream content) throws IOException {
            List<String> parts = components(e.getName());
            if (parts.isEmpty()) { // "./": the layer root itself
                return;
            }
            Path parent = parentDir(parts, true);
            String base = parts.get(parts.size() - 1);
            Path target = parent.resolve(base);

            if (base.equals(OPAQUE)) {
                Files.getFileAttributeView(parent, UserDefinedFileAttributeView.class)
                        .write(OPAQUE_XATTR, ByteBuffer.wrap("y".getBytes(StandardCharsets.US_ASCII)));
                return;
            }
            if (base.startsWith(WHITEOUT_PREFIX)) {
                String hidden = base.substring(WHITEOUT_PREFIX.length());
                if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) throw refused(e, "bad whiteout name");
                Path gone = parent.resolve(hidden);
                removeExisting(gone);
                mknodWhiteout(gone);
                return;
            }

            if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                skipped++; // runc provides /dev; nothing else in an image needs device nodes or FIFOs
            } else if (e.isDirectory()) {
                BasicFileAttributes a = attrs(target);
                if (a != null && !a.isDirectory()) removeExisting(target);
                boolean fresh = a == null || !a.isDirectory();
                if (fresh) Files.createDirectory(target);
                metadata(target, e, false, fresh);
                dirTimes.add(new DirTime(target, e.getLastModifiedTime()));
            } else if (e.isSymbolicLink()) {
                removeExisting(target);
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                metadata(target, e, true, true);
            } else if (e.isLink()) {
                List<String> linkParts = components(e.getLinkName());
                if (linkParts.isEmpty()) throw refused(e, "hard link to the layer root");
                Path existing = parentDir(linkParts, false).resolve(linkParts.get(linkParts.size() - 1));
                BasicFileAttributes a = attrs(existing);
                if (a == null || a.isDirectory()) throw refused(e, "hard link to " + e.getLinkName() + ", which is not a file of this layer");
                removeExisting(target);
                Files.createLink(target, existing);
            } else if (e.isFile()) {
                removeExisting(target);
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    bytes += content.transferTo(out);
                }
                metadata(target, e, false, true);
            } else {
                skipped++; // other types (GNU volume headers, ...): nothing to put on disk
            }
        }

        /** The entry's path components; absolute names and ".." are refused, "." and empty ones dropped. */
        List<String> components(String name) throws LayerException {
            if (name.startsWith("/")) throw new LayerException("refused entry \"" + name + "\": absolute path");
            List<String> out = new ArrayList<>();
            for (String c : name.split("/")) {
                if (c.isEmpty() || c.equals(".")) continue;
                if (c.equals("..")) throw new LayerException("refused entry \"" + name + "\": \"..\" would leave the layer");
                if (c.indexOf('\0') >= 0) throw new LayerException("refused entry with a NUL byte in its name");
                out.add(c);
            }
            return out;
        }

        /**
         * The directory holding the last component, checked component by component with lstat: a
         * symlink on the way is refused (it could lead outside the layer). Missing directories are
         * created (0755, root) when {@code create}.
         */
        Path parentDir(List<String> parts, boolean create) throws IOException {
            Path dir = root;
            for (int i = 0; i < parts.size() - 1; i++) {
                dir = dir.resolve(parts.get(i));
                BasicFileAttributes a = attrs(dir);
                if (a == null) {
                    if (!create) throw new LayerException("refused link: " + String.join("/", parts) + " does not exist in this layer");
                    Files.createDirectory(dir);
                } else if (a.isSymbolicLink()) {
                    throw new LayerException("refused entry \"" + String.join("/", parts) + "\": its parent "
                            + root.relativize(dir) + " is a symbolic link");
                } else if (!a.isDirectory()) {
                    throw new LayerException("refused entry \"" + String.join("/", parts) + "\": "
                            + root.relativize(dir) + " is not a directory");
                }
            }
            return dir;
        }

        /**
         * Ownership, mode and mtime. Each is a syscall per file, so what file creation already got
         * right (owner 0:0 as root, the umask's default mode) is not set again.
         */
        void metadata(Path p, TarArchiveEntry e, boolean symlink, boolean fresh) throws IOException {
            long uid = e.getLongUserId();
            long gid = e.getLongGroupId();
            if (ROOT && (uid != 0 || gid != 0)) { // chown first: it clears setuid/setgid bits that chmod then restores
                Files.setAttribute(p, "unix:uid", (int) uid, NOFOLLOW);
                Files.setAttribute(p, "unix:gid", (int) gid, NOFOLLOW);
            }
            if (symlink) return;
            int mode = e.getMode() & 07777;
            int created = (e.isDirectory() ? 0777 : 0666) & ~UMASK;
            if (!fresh || UMASK < 0 || mode != created || uid != 0 || gid != 0) Files.setAttribute(p, "unix:mode", mode, NOFOLLOW);
            FileTime t = e.getLastModifiedTime();
            if (!e.isDirectory()) { // directories get theirs at the end, as their children change it
                // both times given: with one null the JDK stats the file first to keep the other
                Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, t, null);
            }
        }

        void finishDirectories() throws IOException {
            for (int i = dirTimes.size() - 1; i >= 0; i--) {
                DirTime d = dirTimes.get(i);
                Files.getFileAttributeView(d.dir(), BasicFileAttributeView.class, NOFOLLOW).setTimes(d.mtime(), d.mtime(), null);
            }
        }

        LayerException refused(TarArchiveEntry e, String why) {
            return new LayerException("refused entry \"" + e.getName() + "\": " + why);
        }
    }

    static BasicFileAttributes attrs(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Removes whatever is at {@code p} (a directory with its contents), never following symlinks. */
    static void removeExisting(Path p) throws IOException {
        BasicFileAttributes a = attrs(p);
        if (a == null) return;
        if (a.isDirectory()) {
            try (var children = Files.list(p)) {
                for (Path c : children.toList()) removeExisting(c);
            }
        }
        Files.delete(p);
    }

    /** overlayfs' whiteout: a character device 0/0. There is no mknod in the JDK, coreutils has one. */
    static void mknodWhiteout(Path p) throws IOException {
        Process proc = new ProcessBuilder("mknod", p.toString(), "c", "0", "0").redirectErrorStream(true).start();
        try {
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!proc.waitFor(10, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                throw new IOException("mknod " + p + " c 0 0 failed (whiteouts need root): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** True for overlayfs' whiteout device. */
    static boolean isWhiteout(Path p, BasicFileAttributes a) throws IOException {
        return a.isOther() && ((Number) Files.getAttribute(p, "unix:rdev", NOFOLLOW)).longValue() == 0
                && !Files.isDirectory(p, NOFOLLOW) && isCharDevice(p);
    }

    private static boolean isCharDevice(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW);
        return (mode & 0170000) == 0020000;
    }

    static boolean isOpaque(Path dir) throws IOException {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class);
        try {
            if (!v.list().contains(OPAQUE_XATTR)) return false;
            ByteBuffer b = ByteBuffer.allocate(8);
            v.read(OPAQUE_XATTR, b);
            b.flip();
            return b.remaining() == 1 && b.get() == 'y';
        } catch (IOException e) {
            return false;
        }
    }

    private static int umask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) return Integer.parseInt(line.substring(6).strip(), 8);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: -1 never matches, so every mode is set explicitly
        }
        return -1;
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static boolean runningAsRoot() {
        return ROOT;
    }

}
