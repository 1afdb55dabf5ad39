package dev.berth.node.logs;

import dev.berth.bus.Limits;
import dev.berth.bus.contract.ContainerLogs;
import dev.berth.bus.contract.LogLine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log shipper's decisions, with no I/O and no clock (time comes in as data): bytes a container wrote in,
 * {@link ContainerLogs} batches out. It splits the bytes into lines (at a newline; a line longer than
 * {@link Limits#LOG_LINE_MAX_LENGTH} bytes is cut into pieces of that size, as the kubelet cuts at 16 KiB; a
 * trailing piece with no newline waits {@link #PARTIAL_LINE_WAIT} for the rest, then goes as a line of its own),
 * caps each pod's rate ({@link #RATE_LINES_PER_SECOND}, {@link #RATE_BYTES_PER_SECOND}: a token bucket holding
 * one second's worth, so a burst of a second passes and a flood is cut to the rate; lines over it are dropped
 * and counted in the next batch's {@code dropped}), and batches: a pod's lines go at most once per
 * {@link #BATCH_INTERVAL} (a quiet pod's first line goes at once), or as soon as a batch is full
 * ({@link Limits#LOG_LINES_MAX_ITEMS} lines or {@link #BATCH_MAX_BYTES}). Batches are per container run: a
 * new {@code restartCount} closes the previous run's batch. Every batch says up to which byte offset of the
 * log it covers, so the shell can remember where to resume once it is acknowledged. Single-threaded.
 */
public final class LogBatcher {
    /** A pod's line rate: the kubelet has no such cap, but Berth's log is shared by every pod of the cluster. */
    public static final int RATE_LINES_PER_SECOND = 1000;
    /** A pod's byte rate (text bytes, UTF-8). */
    public static final long RATE_BYTES_PER_SECOND = 1L << 20;
    /** At most one batch per pod this often (a full batch goes at once). */
    public static final Duration BATCH_INTERVAL = Duration.ofMillis(200);
    /**
     * How much earlier than the interval a poll may still send: the shell's timer fires a little early or late,
     * and a poll at 199.9 ms must not hold the batch for a whole further poll period.
     */
    static final Duration TIMER_SLACK = Duration.ofMillis(10);
    /**
     * A batch's text, counted as its JSON encoding may grow it (a control character becomes six bytes) plus
     * each line's time and stream: half the broker's 1 MiB record limit, so a record stays well under it.
     */
    public static final int BATCH_MAX_BYTES = 512 * 1024;
    /** How long an unterminated piece of a line waits for its newline before it ships as a line. */
    public static final Duration PARTIAL_LINE_WAIT = Duration.ofSeconds(1);
    /** What one line costs in a batch besides its text: its time, stream and JSON punctuation. */
    static final int LINE_OVERHEAD_BYTES = 64;

    /** Which pod and container a run's lines belong to (from the pod's placement) and which run it is. */
    public record Run(String pod, String namespace, String container, int restartCount, String id) {
        /** A single-container pod's run: its runtime id is the pod's name. */
        public Run(String pod, String namespace, String container, int restartCount) {
            this(pod, namespace, container, restartCount, pod);
        }

        public Run {
            id = id == null ? pod : id;
        }
    }

    /** A batch to publish, and the log offset right after the last byte it accounts for (shipped or dropped). */
    public record Batch(ContainerLogs logs, long endOffset, String id) {
        public Batch(ContainerLogs logs, long endOffset) { this(logs, endOffset, logs.pod()); }
    }

    private final String node;
    private final Map<String, PodLog> pods = new LinkedHashMap<>();

    public LogBatcher(String node) {
        this.node = node;
    }

    /** One pod's current run: its pending batch, unterminated bytes, rate bucket. */
    private static final class PodLog {
        Run run;
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        Instant partialSince;
        long partialEnd;
        final List<LogLine> lines = new ArrayList<>();
        int bytes;
        long dropped;
        long endOffset = -1;
        Instant lastBatch;
        double lineTokens = RATE_LINES_PER_SECOND;
        double byteTokens = RATE_BYTES_PER_SECOND;
        Instant refilledAt;
        final List<Batch> closed = new ArrayList<>();

        PodLog(Run run) {
            this.run = run;
        }

        boolean empty() {
            return lines.isEmpty() && dropped == 0 && partial.size() == 0 && closed.isEmpty();
        }
    }

    /**
     * {@code bytes} read from the log of {@code run} at {@code offset} at {@code now}. A different run of a pod
     * than before first ends the previous one ({@link #endRun}).
     */
    public void read(Run run, long offset, byte[] bytes, Instant now) {
        PodLog p = pods.get(run.id());
        if (p != null && !p.run.equals(run)) {
            endRun(run.id(), now);
            p = pods.get(run.id());
            p.run = run;
            p.lineTokens = RATE_LINES_PER_SECOND; // a new run is a new container: its own bucket
            p.byteTokens = RATE_BYTES_PER_SECOND;
            p.refilledAt = null;
        }
        if (p == null) pods.put(run.id(), p = new PodLog(run));
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            append(p, bytes, start, i - start, offset + i, now);
            emitPartial(p, offset + i + 1, now);
            start = i + 1;
        }
        if (start < bytes.length) {
            if (p.partial.size() == 0) p.partialSince = now;
            append(p, bytes, start, bytes.length - start, offset + bytes.length, now);
        }
    }

    /** Adds bytes ending at {@code end} to the line being read; full pieces of a long line go as lines at once. */
    private void append(PodLog p, byte[] bytes, int from, int length, long end, Instant now) {
        p.partial.write(bytes, from, length);
        p.partialEnd = end;
        while (p.partial.size() > Limits.LOG_LINE_MAX_LENGTH) {
            byte[] all = p.partial.toByteArray();
            int cut = cut(all, Limits.LOG_LINE_MAX_LENGTH);
            line(p, new String(all, 0, cut, StandardCharsets.UTF_8), end - (all.length - cut), now);
            p.partial.reset();
            p.partial.write(all, cut, all.length - cut);
            if (p.partialSince == null) p.partialSince = now;
        }
    }

    /** The run ended (the container exited, or restarts): its unterminated piece is a line, its batch is closed. */
    public void endRun(String pod, Instant now) {
        PodLog p = pods.get(pod);
        if (p == null) return;
        if (p.partial.size() > 0) emitPartial(p, p.partialEnd, now);
        close(p);
    }

    /** The batches due at {@code now}, oldest first; a pod with nothing left pending is forgotten. */
    public List<Batch> due(Instant now) {
        return collect(now, false);
    }

    /** Every pending line as batches now, regardless of the interval (the agent stops). */
    public List<Batch> flushAll(Instant now) {
        for (String pod : List.copyOf(pods.keySet())) endRun(pod, now);
        return collect(now, true);
    }

    /** Pods with anything pending (tests, and the shell's bookkeeping). */
    public boolean pending(String pod) {
        PodLog p = pods.get(pod);
        return p != null && !p.empty();
    }

    private List<Batch> collect(Instant now, boolean all) {
        List<Batch> out = new ArrayList<>();
        for (var it = pods.values().iterator(); it.hasNext(); ) {
            PodLog p = it.next();
            if (p.partial.size() > 0 && !now.isBefore(p.partialSince.plus(PARTIAL_LINE_WAIT))) emitPartial(p, p.partialEnd, now);
            boolean hasLines = !p.lines.isEmpty() || p.dropped > 0;
            // full batches (and a previous run's) go at once; what is pending waits for the interval
            boolean intervalOver = p.lastBatch == null ? p.closed.isEmpty()
                    : !now.isBefore(p.lastBatch.plus(BATCH_INTERVAL).minus(TIMER_SLACK));
            if (hasLines && (all || intervalOver)) {
                close(p);
            }
            if (!p.closed.isEmpty()) {
                out.addAll(p.closed);
                p.closed.clear();
                p.lastBatch = now;
            }
            // forgotten once nothing is pending and neither the interval nor the rate bucket remembers anything
            if (p.empty() && (p.lastBatch == null || !now.isBefore(p.lastBatch.plus(BATCH_INTERVAL)))
                    && (p.refilledAt == null || !now.isBefore(p.refilledAt.plusSeconds(1)))) it.remove();
        }
        return out;
    }

    private void emitPartial(PodLog p, long end, Instant now) {
        byte[] all = p.partial.toByteArray();
        p.partial.reset();
        p.partialSince = null;
        line(p, new String(all, StandardCharsets.UTF_8), end, now);
    }

    /** One whole line: admitted by the rate bucket into the pending batch (closing a full one), or dropped. */
    private void line(PodLog p, String text, long end, Instant now) {
        refill(p, now);
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (p.lineTokens < 1 || p.byteTokens < size) {
            p.dropped++;
            p.endOffset = end;
            return;
        }
        p.lineTokens -= 1;
        p.byteTokens -= size;
        int cost = cost(text);
        if (!p.lines.isEmpty() && p.bytes + cost > BATCH_MAX_BYTES) close(p); // before this line's offset counts
        p.lines.add(new LogLine(now, LogLine.STDOUT, text));
        p.bytes += cost;
        p.endOffset = end; // offsets only grow within a file; after a rotation they start again at 0
        if (p.lines.size() >= Limits.LOG_LINES_MAX_ITEMS || p.bytes >= BATCH_MAX_BYTES) close(p);
    }

    private static void refill(PodLog p, Instant now) {
        if (p.refilledAt != null && now.isAfter(p.refilledAt)) {
            double seconds = Duration.between(p.refilledAt, now).toNanos() / 1e9;
            p.lineTokens = Math.min(RATE_LINES_PER_SECOND, p.lineTokens + seconds * RATE_LINES_PER_SECOND);
            p.byteTokens = Math.min(RATE_BYTES_PER_SECOND, p.byteTokens + seconds * RATE_BYTES_PER_SECOND);
        }
        if (p.refilledAt == null || now.isAfter(p.refilledAt)) p.refilledAt = now;
    }

    private void close(PodLog p) {
        if (p.lines.isEmpty() && p.dropped == 0) return;
        Run r = p.run;
        p.closed.add(new Batch(new ContainerLogs(r.pod(), r.namespace(), node, r.container(), r.restartCount(), p.lines, p.dropped),
                p.endOffset, r.id()));
        p.lines.clear();
        p.bytes = 0;
        p.dropped = 0;
    }

    /** A line's share of a record: its text as JSON may escape it, and its time and stream. */
    static int cost(String text) {
        int n = LINE_OVERHEAD_BYTES;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') n += 6;
            else if (c < 0x80) n += 1;
            else if (Character.isHighSurrogate(c)) n += 2; // with its low surrogate: 4 bytes
            else n += 3; // a multi-byte character (or a lone surrogate, escaped)
        }
        return n;
    }

    /** Where to cut {@code b} at most {@code max} bytes in without splitting a UTF-8 character. */
    static int cut(byte[] b, int max) {
        int i = max;
        while (i > max - 4 && i > 0 && (b[i] & 0xC0) == 0x80) i--; // b[i] continues a character: cut before it starts
        return (b[i] & 0xC0) == 0x80 ? max : i;
    }
}
