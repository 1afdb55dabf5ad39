package dev.berth.node.runtime;

/**
 * How a container ended.
 *
 * @param code      its exit code, or 128+signal when killed (137 = SIGKILL); null if unknown (its shim died)
 * @param oomKilled the kernel's OOM killer killed a process of its cgroup, read from the cgroup's counters
 */
public record ExitStatus(Integer code, boolean oomKilled) {
}
