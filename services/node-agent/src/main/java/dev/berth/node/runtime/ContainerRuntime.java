package dev.berth.node.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a node agent's containers run: {@link RuncRuntime} on a real host, {@link InMemoryRuntime} in
 * tests and hollow nodes. A container's id is its pod's name. Calls may block (runc): the agent makes
 * them on worker threads. Containers outlive the runtime object: {@link #close} only stops watching, so
 * a later runtime over the same state finds them in {@link #containers} and adopts them.
 */
public interface ContainerRuntime extends AutoCloseable {

    /**
     * Starts a container, replacing what an ended earlier run of the same id left; returns once its init
     * process runs. Throws if it cannot start; then nothing of it is left behind.
     */
    RunningContainer start(ContainerSpec spec) throws IOException;

    /** TERM, up to {@code grace} to exit, KILL, then removes it. Safe for ended and unknown containers. */
    void stop(String id, Duration grace);

    /**
     * TERM, up to {@code grace} to exit, KILL; keeps the ended container (its exit is reported as any other, and a
     * later {@link #start} replaces it). Safe for ended and unknown containers.
     */
    void kill(String id, Duration grace);

    /** Every container of this runtime, running or ended, with its annotations; an ended one with how it ended. */
    List<ContainerInfo> containers();

    /** Ids of this runtime's containers. */
    default List<String> list() {
        return containers().stream().map(ContainerInfo::id).toList();
    }

    /** How a container found in {@link #containers} (not started by this instance) ends. */
    CompletableFuture<ExitStatus> watch(String id, long pid);

    /** Names of the images containers can run. */
    List<String> images();

    /** The images with their names and sizes, for heartbeats (Kubernetes' NodeStatus.images). */
    default List<dev.berth.bus.contract.ContainerImage> containerImages() {
        return images().stream().map(i -> new dev.berth.bus.contract.ContainerImage(List.of(i), 0)).toList();
    }

    /**
     * Runs {@code command} inside the running container {@code id} (an exec probe) and returns its exit status;
     * throws on a timeout (the command is killed) or when the runtime cannot exec.
     */
    default int exec(String id, List<String> command, Duration timeout) throws IOException {
        throw new IOException("this runtime cannot exec in containers");
    }

    /** The running container's cgroup usage now; empty if it is not running or this runtime cannot tell. */
    default java.util.Optional<dev.berth.node.metrics.UsageSample> usage(String id) {
        return java.util.Optional.empty();
    }

    /** Caps and rotates the containers' logs (see {@link LogRotation}); called now and then by the agent. */
    default void rotateLogs() {}

    /** Removes what this runtime keeps for the node as a whole (its cgroup parent), once no container is left. */
    default void removeCgroupParent() {}

    /** Stops watching for exits; the containers keep running. */
    @Override
    void close();
}
