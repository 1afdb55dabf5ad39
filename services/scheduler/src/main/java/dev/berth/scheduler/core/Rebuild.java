package dev.berth.scheduler.core;

import dev.berth.bus.contract.Payload;
import java.util.List;

/**
 * Rebuilds the scheduler's state by folding the log through the same {@link Appliers} the live path
 * uses. Topics are folded one after the other, not interleaved by time (clocks of different
 * machines need not agree):
 * <ol>
 *   <li>berth.placements: every binding and release (the scheduler's own record);</li>
 *   <li>berth.pods: pods not bound become pending, deleted pending pods are dropped and a bound pod
 *       whose deletion is there but whose release is not gets marked, so {@link Processors#resync}
 *       releases it (a pod is only ever released after its deletion, and a pod's intents share a
 *       partition, so this order never resurrects a released pod);</li>
 *   <li>berth.pod-status: ended pods free their capacity;</li>
 *   <li>berth.scheduling: pending pods remember their last unschedulable message, so a restart does
 *       not repeat it;</li>
 *   <li>berth.nodes: the controller's latest status of every node (NotReady, cordoned).</li>
 * </ol>
 * A pod lost with its node is treated like a deleted one: released, or marked for release.
 * Assumes pod names are never reused (the controller names each pod uniquely).
 */
public final class Rebuild {
    private Rebuild() {}

    public static SchedulerState fold(List<? extends Payload> placements, List<? extends Payload> pods,
                                      List<? extends Payload> podStatus, List<? extends Payload> scheduling,
                                      List<? extends Payload> nodes) {
        SchedulerState state = new SchedulerState();
        for (List<? extends Payload> topic : List.of(placements, pods, podStatus, scheduling, nodes)) {
            for (Payload event : topic) Appliers.apply(state, event);
        }
        return state;
    }
}
