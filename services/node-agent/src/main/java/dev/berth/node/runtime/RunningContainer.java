package dev.berth.node.runtime;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A container whose init process has started.
 *
 * @param pid       host pid of the container's init process
 * @param startedAt when runc was launched
 * @param exit      completes with the container's exit status: its exit code, or 128+signal when
 *                  killed (137 = SIGKILL, e.g. by the OOM killer)
 */
public record RunningContainer(String id, long pid, Instant startedAt, CompletableFuture<Integer> exit) {

    /** A dependent copy, so callers cannot complete the runtime's own future. */
    @Override
    public CompletableFuture<Integer> exit() {
        return exit.copy();
    }
}
