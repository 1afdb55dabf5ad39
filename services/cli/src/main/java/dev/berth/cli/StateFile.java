package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * {@code $BERTH_HOME/cluster.properties}: how other berth commands find the running {@code berth up}
 * (bootstrap servers, control port and token, pid). Written whole or not at all (temp file + atomic rename, so a
 * reader never sees half a file), readable by its owner only (0600: it holds the token of a control
 * endpoint that stops nodes), and removed only by the process that wrote it, recognised by its instance id.
 *
 * @param instance     a fresh id per {@code berth up} process: a pid can be reused, this cannot
 * @param controlToken what the control endpoint wants as {@code Authorization: Bearer TOKEN}; empty: none
 */
record StateFile(String bootstrapServers, int controlPort, long pid, String instance, Instant started, String controlToken) {

    static final String NAME = "cluster.properties";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** This process's state, with a fresh instance id. */
    static StateFile ofThisProcess(String bootstrapServers, int controlPort) {
        return ofThisProcess(bootstrapServers, controlPort, "");
    }

    static StateFile ofThisProcess(String bootstrapServers, int controlPort, String controlToken) {
        return new StateFile(bootstrapServers, controlPort, ProcessHandle.current().pid(), UUID.randomUUID().toString(), Instant.now(), controlToken);
    }

    static Path in(Path home) { return home.resolve(NAME); }

    /** Replaces the file atomically; its mode is 0600 from the first byte on. */
    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("control.port", Integer.toString(controlPort)); // for `berth node stop|start`
        p.setProperty("control.token", controlToken == null ? "" : controlToken);
        p.setProperty("pid", Long.toString(pid)); // for `berth down`
        p.setProperty("instance", instance);
        p.setProperty("started", started.toString());
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] mode = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + NAME + ".", ".tmp", mode);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "written by berth up (pid " + pid + "); removed when it stops");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The state in {@code file}, or empty when there is none or it cannot be read as one. */
    static Optional<StateFile> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            return Optional.of(new StateFile(p.getProperty("bootstrap.servers", ""),
                    Integer.parseInt(p.getProperty("control.port", "0").trim()),
                    Long.parseLong(p.getProperty("pid", "0").trim()),
                    p.getProperty("instance", ""),
                    Instant.parse(p.getProperty("started", Instant.EPOCH.toString()).trim()),
                    p.getProperty("control.token", "").trim()));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Deletes {@code file} if this state wrote it (same instance id); a file another process wrote since
     * is left alone. Returns whether it was deleted.
     */
    boolean removeIfOwned(Path file) throws IOException {
        Optional<StateFile> current = read(file);
        if (current.isEmpty() || !current.get().instance().equals(instance)) return false;
        return Files.deleteIfExists(file);
    }
}
