package dev.berth.node.runtime;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A container whose init process has started.
 *
 * @param pid       host pid of the container's init process
 * @param startedAt when runc was launched
 * @param exit      completes with how the container ended
 * @param imageId   the image's repo digest ({@code repo@sha256:…}), null where the runtime has none
 */
public record RunningContainer(String id, long pid, Instant startedAt, CompletableFuture<ExitStatus> exit, String imageId) {

    public RunningContainer(String id, long pid, Instant startedAt, CompletableFuture<ExitStatus> exit) {
        this(id, pid, startedAt, exit, null);
    }

    /** A dependent copy, so callers cannot complete the runtime's own future. */
    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit.copy();
    }
}
