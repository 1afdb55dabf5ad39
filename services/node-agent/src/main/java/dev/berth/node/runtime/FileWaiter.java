package dev.berth.node.runtime;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells when a file appears, without polling: one inotify watch (the JDK's WatchService) per directory
 * waited on. Polling a burst of starting containers every few ms costs a thread wake-up per start per
 * poll; this costs one event per file. Files must appear by create or rename inside the directory.
 */
final class FileWaiter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FileWaiter.class.getName());

    private final WatchService watcher;
    private final Map<Path, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    FileWaiter(String name) {
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new IllegalStateException("no file watch service", e);
        }
        Thread t = new Thread(this::run, "berth-files-" + name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Completes once {@code file} exists (at once if it already does). Cancel the future to stop waiting.
     * One waiter per file at a time.
     */
    CompletableFuture<Void> await(Path file) throws IOException {
        Path f = file.toAbsolutePath();
        CompletableFuture<Void> appeared = new CompletableFuture<>();
        waiting.put(f, appeared);
        WatchKey key = f.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        appeared.whenComplete((v, e) -> {
            waiting.remove(f, appeared);
            key.cancel(); // one directory per container: nobody else waits in it
        });
        if (f.toFile().exists()) appeared.complete(null); // it came before the watch did
        return appeared;
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Path dir = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        waiting.forEach((file, f) -> { // events were lost: look at every file waited on
                            if (file.toFile().exists()) f.complete(null);
                        });
                    } else {
                        CompletableFuture<Void> f = waiting.get(dir.resolve((Path) event.context()));
                        if (f != null) f.complete(null);
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "file watcher failed; starts fall back to their timeout", e);
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the file watcher", e);
        }
    }
}
