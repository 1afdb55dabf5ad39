package dev.berth.node.runtime;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A container whose init process has started.
 *
 * @param pid       host pid of the container's init process
 * @param startedAt when runc was launched
 * @param exit      completes with how the container ended
 */
public record RunningContainer(String id, long pid, Instant startedAt, CompletableFuture<ExitStatus> exit) {

    /** A dependent copy, so callers cannot complete the runtime's own future. */
    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit.copy();
    }
}
