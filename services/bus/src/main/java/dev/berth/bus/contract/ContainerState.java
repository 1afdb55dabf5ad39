package dev.berth.bus.contract;

/** Lifecycle of a pod's container on its node. */
public enum ContainerState {
    /** The agent is creating the bundle and launching runc. */
    Starting,
    /** The container's init process runs. */
    Running,
    /** The container ended and waits for its restart back-off (reason CrashLoopBackOff). */
    Waiting,
    /** The container's process ended by itself; see exit code and reason (Completed, Error, OOMKilled). */
    Exited,
    /** The agent could not start the container (bad command, missing image, runc error). */
    Failed,
    /** The agent is stopping the container (TERM, grace period, KILL). */
    Terminating,
    /** The container is gone and its runc state and cgroups removed. */
    Stopped;

    public boolean isTerminal() { return this == Exited || this == Failed || this == Stopped; }
}
