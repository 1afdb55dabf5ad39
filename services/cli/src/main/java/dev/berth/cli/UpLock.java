package dev.berth.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One {@code berth up} per BERTH_HOME: an exclusive lock on {@code $BERTH_HOME/up.lock}, held for the
 * process's lifetime (the kernel releases it when the process dies, however it dies, so a crash leaves
 * no stale lock), with the holder's pid in the file so a second {@code berth up} and {@code berth down}
 * can name it. The file itself stays: deleting a lock file would let two processes lock two different files.
 */
final class UpLock implements AutoCloseable {
    static final String NAME = "up.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private UpLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or this one) already holds the lock. */
    static final class HeldException extends IllegalStateException {
        final OptionalLong holder;

        HeldException(Path home, OptionalLong holder) {
            super("another `berth up`" + (holder.isPresent() ? " (pid " + holder.getAsLong() + ")" : "") + " is running with BERTH_HOME="
                    + home + ": stop it with `berth down`, or give this one its own BERTH_HOME");
            this.holder = holder;
        }
    }

    static Path in(Path home) { return home.resolve(NAME); }

    /** Takes the lock and writes this process's pid into it, or throws {@link HeldException}. */
    static UpLock acquire(Path home) throws IOException {
        Files.createDirectories(home);
        Path file = in(home);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldByThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new HeldException(home, holder(home));
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
        return new UpLock(channel, lock);
    }

    /**
     * The pid of the {@code berth up} holding the lock of {@code home}, or empty when none holds it
     * (tested by trying the lock, so a pid left in the file by a dead process does not count).
     */
    static OptionalLong running(Path home) throws IOException {
        Path file = in(home);
        if (!Files.isRegularFile(file)) return OptionalLong.empty();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe;
            try {
                probe = channel.tryLock();
            } catch (OverlappingFileLockException heldByThisJvm) {
                return OptionalLong.of(ProcessHandle.current().pid());
            }
            if (probe != null) {
                probe.release();
                return OptionalLong.empty();
            }
        }
        // Held: the holder writes its pid right after locking; give it a moment if it is that new.
        for (int i = 0; i < 20; i++) {
            OptionalLong pid = holder(home);
            if (pid.isPresent()) return pid;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException(file + " is locked but names no pid");
    }

    /** The pid written in the lock file, if it holds one. */
    private static OptionalLong holder(Path home) {
        try {
            String text = Files.readString(in(home), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException unreadable) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() throws IOException {
        if (lock.isValid()) lock.release();
        channel.close();
    }
}
