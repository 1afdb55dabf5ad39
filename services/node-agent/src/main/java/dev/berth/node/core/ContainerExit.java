package dev.berth.node.core;

/**
 * The runtime saw a pod's container end.
 *
 * @param restarts  the restart count of the run that ended: a late report about an earlier run is ignored
 * @param exitCode  its exit code (128+signal when killed), null when unknown
 * @param oomKilled the kernel's OOM killer killed a process of its cgroup (read from the cgroup's counters)
 */
public record ContainerExit(String pod, int restarts, Integer exitCode, boolean oomKilled) {
}
