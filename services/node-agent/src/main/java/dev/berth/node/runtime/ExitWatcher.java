package dev.berth.node.runtime;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Learns when containers end by polling for the exit file their shim writes (see {@link RuncRuntime#start}),
 * so it works alike for containers this process started and for containers an earlier agent process
 * left behind. One stat per container per poll; a container whose runc process is a child of this JVM
 * is checked at once when it ends ({@link #checkSoon}). If the shim itself was killed, no file ever
 * comes: the container then counts as ended, code unknown, once its init process has been gone a while.
 */
final class ExitWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ExitWatcher.class.getName());
    static final Duration POLL = Duration.ofMillis(200);
    /** How long a gone init process may wait for its shim's exit file (written right after runc reaped it). */
    static final Duration SHIM_GRACE = Duration.ofSeconds(2);

    private static final class Watch {
        final Path exitFile;
        final long pid;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        long goneSince = -1;

        Watch(Path exitFile, long pid) {
            this.exitFile = exitFile;
            this.pid = pid;
        }
    }

    private final ScheduledExecutorService poller;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    ExitWatcher(String name) {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-exits-" + name);
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::checkAll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes with the container's exit code, or null if it ended without its shim recording one. */
    CompletableFuture<Integer> watch(String id, Path exitFile, long pid) {
        Watch w = new Watch(exitFile, pid);
        watches.put(id, w);
        checkSoon(id);
        return w.exit;
    }

    void checkSoon(String id) {
        try {
            poller.execute(() -> check(id));
        } catch (RejectedExecutionException closed) {
            // nobody listens any more
        }
    }

    /** Stops watching (the container is being removed); its future never completes. */
    void forget(String id) {
        watches.remove(id);
    }

    private void checkAll() {
        for (String id : watches.keySet()) check(id);
    }

    private void check(String id) {
        Watch w = watches.get(id);
        if (w == null) return;
        try {
            Optional<Integer> code = readExitFile(w.exitFile);
            if (code.isPresent()) {
                finish(id, w, code.get());
            } else if (w.pid <= 0 || new File("/proc/" + w.pid).exists()) {
                w.goneSince = -1;
            } else if (w.goneSince < 0) {
                w.goneSince = System.nanoTime();
            } else if (System.nanoTime() - w.goneSince > SHIM_GRACE.toNanos()) {
                LOG.log(Level.WARNING, "container {0} ended without an exit file: its shim is gone", id);
                finish(id, w, null);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "checking container " + id + " for its exit", e); // keep polling the others
        }
    }

    private void finish(String id, Watch w, Integer code) {
        if (watches.remove(id, w)) w.exit.complete(code);
    }

    /** The shim writes the file by rename, so it is complete whenever it exists. */
    static Optional<Integer> readExitFile(Path exitFile) {
        if (!exitFile.toFile().exists()) return Optional.empty(); // a plain stat: Files would throw per poll
        try {
            return Optional.of(Integer.parseInt(Files.readString(exitFile).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.WARNING, "unreadable exit file {0}: {1}", exitFile, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
