package dev.berth.node.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Content-addressed blobs, {@code <dir>/sha256/<hex>}. A blob is written to a temp file while its
 * digest is computed and renamed into place only when digest and size match, so a blob present under
 * a name always has that content (a crash leaves at most a temp file, cleaned on the next start).
 */
final class ContentStore {

    private final Path blobs;
    private final Path tmp;

    ContentStore(Path dir) throws IOException {
        this.blobs = Files.createDirectories(dir.resolve("sha256"));
        this.tmp = Files.createDirectories(dir.resolve("tmp"));
        try (Stream<Path> leftovers = Files.list(tmp)) {
            for (Path p : leftovers.toList()) Files.deleteIfExists(p);
        }
    }

    Path path(Digest d) {
        return blobs.resolve(d.hex());
    }

    boolean has(Digest d) {
        return Files.isRegularFile(path(d));
    }

    /**
     * Streams {@code in} into the store, refusing it unless it hashes to {@code expected} and (when
     * {@code expectedSize >= 0}) has that size; never more than {@code maxBytes} are read.
     */
    Path put(InputStream in, Digest expected, long expectedSize, long maxBytes, String what) throws IOException {
        try (Ingest ingest = begin(expected, expectedSize, maxBytes, what)) {
            ingest.wrap(in).transferTo(OutputStream.nullOutputStream());
            return ingest.commit();
        }
    }

    /** Starts writing a blob whose bytes are read through {@link Ingest#wrap}, e.g. by an unpacker at the same time. */
    Ingest begin(Digest expected, long expectedSize, long maxBytes, String what) throws IOException {
        return new Ingest(expected, expectedSize, expectedSize >= 0 ? Math.min(expectedSize, maxBytes) : maxBytes, what);
    }

    /** One blob being written: everything read through {@link #wrap} is hashed and kept; {@link #commit} checks it. */
    final class Ingest implements AutoCloseable {
        private final Digest expected;
        private final long expectedSize;
        private final long limit;
        private final String what;
        private final Path part;
        private final OutputStream out;
        private final MessageDigest sha = Digest.sha256();
        private long total;

        private Ingest(Digest expected, long expectedSize, long limit, String what) throws IOException {
            this.expected = expected;
            this.expectedSize = expectedSize;
            this.limit = limit;
            this.what = what;
            this.part = Files.createTempFile(tmp, expected.hex().substring(0, 12), ".part");
            this.out = new java.io.BufferedOutputStream(Files.newOutputStream(part), 1 << 16);
        }

        InputStream wrap(InputStream in) {
            return new java.io.FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        total += n;
                        if (total > limit) {
                            throw ImageException.pull(what + " " + expected + ": more than " + limit + " bytes");
                        }
                        sha.update(b, off, n);
                        out.write(b, off, n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
                    int r = read(buf, 0, buf.length);
                    return Math.max(r, 0);
                }
            };
        }

        /** Verifies size and digest of what was read and renames it into place. */
        Path commit() throws IOException {
            out.close();
            if (expectedSize >= 0 && total != expectedSize) {
                throw ImageException.pull(what + " " + expected + ": expected " + expectedSize + " bytes, got " + total);
            }
            Digest actual = Digest.from(sha);
            if (!actual.equals(expected)) {
                throw ImageException.pull(what + " digest mismatch: expected " + expected + ", content hashes to " + actual);
            }
            Path target = path(expected);
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                // written concurrently by another pull: same digest, same bytes
            }
            return target;
        }

        @Override
        public void close() throws IOException {
            out.close();
            Files.deleteIfExists(part);
        }
    }

    /** Stores bytes already in memory (manifests, configs) under their own digest. */
    Digest put(byte[] content) throws IOException {
        Digest d = Digest.of(content);
        if (!has(d)) {
            Path part = Files.createTempFile(tmp, d.hex().substring(0, 12), ".part");
            try {
                Files.write(part, content);
                Files.move(part, path(d), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        return d;
    }

    byte[] read(Digest d, long maxBytes) throws IOException {
        Path p = path(d);
        long size = Files.size(p);
        if (size > maxBytes) throw new IOException("blob " + d + " is " + size + " bytes, more than " + maxBytes);
        return Files.readAllBytes(p);
    }

    long size(Digest d) throws IOException {
        return Files.size(path(d));
    }

    void delete(Digest d) throws IOException {
        Files.deleteIfExists(path(d));
    }

    Set<Digest> all() throws IOException {
        Set<Digest> out = new HashSet<>();
        try (Stream<Path> files = Files.list(blobs)) {
            files.forEach(f -> {
                try {
                    out.add(new Digest(f.getFileName().toString()));
                } catch (IllegalArgumentException ignored) {
                    // not a blob name: nothing of ours
                }
            });
        }
        return out;
    }

}
