package dev.berth.node.core;

import dev.berth.bus.contract.ContainerState;

/**
 * What the node knows of one pod's container: its state, exit code once ended, restarts, and
 * the grace period it gets when stopped (kept here because a released pod's placement is gone).
 */
public record PodRuntime(String pod, ContainerState state, Integer exitCode, int restarts, int gracePeriodSeconds) {
    PodRuntime with(ContainerState s, Integer code) { return new PodRuntime(pod, s, code, restarts, gracePeriodSeconds); }
}
