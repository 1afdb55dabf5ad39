package dev.berth.node.logs;

import dev.berth.node.runtime.LogRotation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The log shipper's file side: follows each container's log file from where it last shipped and hands the
 * bytes to a {@link LogBatcher}, whose batches the agent publishes. A container's runs share one file (the
 * runtime appends across restarts), so the agent tells the shipper before it starts a run
 * ({@link #beforeStart}): the previous run's output is read to its end first, and what follows is the new run's.
 * Where it stands is kept per pod as {@code <restartCount> <offset>} in {@code <positions>/<pod>}, written once
 * the batch covering those bytes is acknowledged by the broker ({@link #acked}): an agent that restarts resumes
 * there, re-shipping at most the batches in flight when it went (at least once; nothing lost while the file
 * still holds it). A rotation ({@link LogRotation}'s copy and truncate) is noticed by the file shrinking below
 * the position or by a new {@code .log.1}: the rest is read from {@code .log.1}, then the live file from 0.
 * Thread-safe (reads run on workers, acknowledgements on the event loop).
 */
public final class LogShipper {
    /** At most this much of one pod's log per poll, so one flood cannot hold the others up. */
    static final int READ_MAX_BYTES = 1 << 20;
    /** Reads to the end of a run's output before the next one starts, at most this many (16 MiB). */
    static final int DRAIN_MAX_READS = 16;

    private final Function<String, Path> logFile;
    private final Path positions;
    private final LogBatcher batcher;
    private final Map<String, Follow> follows = new HashMap<>();
    /** Acknowledged positions not yet written, by pod. */
    private final Map<String, Position> acked = new HashMap<>();

    private record Position(int restartCount, long offset) {}

    private static final class Follow {
        LogBatcher.Run run;
        long offset;
        Object rotatedKey;
        boolean rotatedSeen;

        Follow(LogBatcher.Run run, long offset) {
            this.run = run;
            this.offset = offset;
        }
    }

    public LogShipper(String node, Function<String, Path> logFile, Path positions) {
        this.logFile = logFile;
        this.positions = positions;
        this.batcher = new LogBatcher(node);
    }

    /**
     * Run {@code run} of a pod's container is about to start: whatever the file holds belongs to the previous
     * run (read to its end now), whatever comes next to this one. Blocking (file reads).
     */
    public synchronized void beforeStart(LogBatcher.Run run, Instant now) {
        Follow f = follows.get(run.id());
        if (f != null) drain(f, now);
        batcher.endRun(run.id(), now);
        long end = size(logFile.apply(run.id()));
        f = new Follow(run, end);
        f.rotatedKey = key(LogRotation.rotated(logFile.apply(run.id()), 1));
        f.rotatedSeen = true;
        follows.put(run.id(), f);
        write(run.id(), new Position(run.restartCount(), end));
    }

    /** The pod's container was stopped and removed: its last output is read, the pod no longer followed. */
    public synchronized void afterStop(String pod, Instant now) {
        Follow f = follows.remove(pod);
        if (f != null) drain(f, now);
        batcher.endRun(pod, now);
        acked.remove(pod);
        try {
            Files.deleteIfExists(positionOf(pod));
        } catch (IOException ignored) { // a stale position is only used if the pod's name comes back
        }
    }

    /**
     * Reads what each run in {@code runs} (the node's pods, running or ended) wrote since the last poll, stops
     * following pods no longer listed, writes acknowledged positions, and returns the batches due at {@code now}.
     */
    public synchronized List<LogBatcher.Batch> poll(Collection<LogBatcher.Run> runs, Instant now) {
        Set<String> listed = new HashSet<>();
        for (LogBatcher.Run run : runs) {
            listed.add(run.id());
            Follow f = follows.get(run.id());
            if (f == null) follows.put(run.id(), f = resume(run));
            if (run.restartCount() < f.run.restartCount()) {
                // a snapshot taken before beforeStart switched to the next run: the file is the newer run's
            } else if (!f.run.equals(run)) { // the next run, about to start: the file so far was the previous one's
                drain(f, now);
                batcher.endRun(run.id(), now);
                f.run = run;
            }
            read(f, now);
        }
        for (var it = follows.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (listed.contains(e.getKey())) continue;
            drain(e.getValue(), now);
            batcher.endRun(e.getKey(), now);
            it.remove();
        }
        for (var e : acked.entrySet()) {
            if (follows.containsKey(e.getKey())) write(e.getKey(), e.getValue());
        }
        acked.clear();
        return batcher.due(now);
    }

    /** Everything pending, as batches (the agent stops). */
    public synchronized List<LogBatcher.Batch> flushAll(Instant now) {
        for (Follow f : follows.values()) drain(f, now);
        return batcher.flushAll(now);
    }

    /** The broker has {@code batch}: its end is where the pod's log resumes after an agent restart. */
    public synchronized void acked(LogBatcher.Batch batch) {
        acked.put(batch.id(), new Position(batch.logs().restartCount(), batch.endOffset()));
    }

    /** Where the last agent left a pod it finds running: its position, else the file's start (run 0) or end. */
    private Follow resume(LogBatcher.Run run) {
        Path log = logFile.apply(run.id());
        Position p = readPosition(run.id());
        long offset = p != null ? p.offset() : run.restartCount() == 0 ? 0 : size(log);
        return new Follow(run, offset);
    }

    private void drain(Follow f, Instant now) {
        for (int i = 0; i < DRAIN_MAX_READS && read(f, now); i++) {
            // until the end (a writer that never pauses: as far as the bound)
        }
    }

    /** Reads the next bytes of the pod's log into the batcher; whether it read any. */
    private boolean read(Follow f, Instant now) {
        Path log = logFile.apply(f.run.id());
        long size = size(log);
        Path first = LogRotation.rotated(log, 1);
        Object key = key(first);
        boolean newRotation = f.rotatedSeen && key != null && !key.equals(f.rotatedKey);
        if (size < f.offset || newRotation) { // copied to .log.1 and truncated: the rest is there
            long rotatedSize = size(first);
            if (f.offset < rotatedSize) readRange(first, f, f.offset, rotatedSize, now);
            f.offset = 0;
        }
        f.rotatedKey = key;
        f.rotatedSeen = true;
        long end = Math.min(size(log), f.offset + READ_MAX_BYTES);
        if (end <= f.offset) return false;
        long before = f.offset;
        readRange(log, f, f.offset, end, now);
        return f.offset > before;
    }

    private void readRange(Path file, Follow f, long from, long to, Instant now) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long at = from;
            byte[] buf = new byte[(int) Math.min(READ_MAX_BYTES, to - from)];
            while (at < to) {
                in.seek(at);
                int n = in.read(buf, 0, (int) Math.min(buf.length, to - at));
                if (n <= 0) break; // truncated meanwhile
                byte[] chunk = n == buf.length ? buf.clone() : java.util.Arrays.copyOf(buf, n);
                batcher.read(f.run, at, chunk, now);
                at += n;
            }
            f.offset = at;
        } catch (NoSuchFileException e) {
            // not written yet, or rotated away
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A pod's position file: its name comes from a record, so it must stay one plain file in {@link #positions}. */
    private Path positionOf(String pod) { return dev.berth.bus.Limits.inside(positions, pod); }

    private Position readPosition(String pod) {
        try {
            String[] parts = Files.readString(positionOf(pod), StandardCharsets.US_ASCII).trim().split(" ");
            return new Position(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        } catch (IOException | RuntimeException e) { // none, or unreadable: start afresh
            return null;
        }
    }

    private void write(String pod, Position p) {
        try {
            Files.createDirectories(positions);
            Path tmp = dev.berth.bus.Limits.inside(positions, pod + ".tmp");
            Files.writeString(tmp, p.restartCount() + " " + p.offset() + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, positionOf(pod), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Object key(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return Objects.requireNonNullElse(a.fileKey(), a.creationTime());
        } catch (IOException e) {
            return null;
        }
    }

    /** The pods followed now (tests). */
    synchronized Set<String> followed() {
        return Set.copyOf(follows.keySet());
    }

    /** What the batcher holds for a pod (tests). */
    synchronized boolean pending(String pod) {
        return batcher.pending(pod);
    }

    static List<String> lines(List<LogBatcher.Batch> batches) {
        List<String> out = new ArrayList<>();
        for (var b : batches) for (var l : b.logs().lines()) out.add(l.text());
        return out;
    }
}
