package dev.berth.scheduler;

import dev.berth.scheduler.core.SchedulingPolicy;
import dev.berth.scheduler.core.plugins.NodeReady;
import java.time.Duration;
import java.util.Map;

/**
 * How the scheduler service runs.
 *
 * @param nodeStaleness     how old a node's last heartbeat may be for the node to count as ready, as long as the
 *                          controller has published no status for it (its Ready/NotReady decides otherwise)
 * @param retryInterval     how often pending pods are reconsidered (cheap when nothing changed)
 * @param heartbeatLookback how far back heartbeats are read at start, to know the nodes at once
 * @param warmUp            no placements this long after start, so every live node has reported first
 * @param policy            how feasible nodes are ranked: SPREAD (default) or BINPACK, one per cluster
 */
public record SchedulerOptions(Duration nodeStaleness, Duration retryInterval, Duration heartbeatLookback,
                               Duration warmUp, SchedulingPolicy policy) {

    public static SchedulerOptions defaults() {
        return new SchedulerOptions(NodeReady.DEFAULT_STALENESS, Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(2), SchedulingPolicy.SPREAD);
    }

    /** The environment variable that sets {@link #policy} for {@code SchedulerMain}: spread or binpack. */
    public static final String POLICY_VARIABLE = "BERTH_SCHEDULING_POLICY";

    /** {@link #defaults()}, with the policy from {@link #POLICY_VARIABLE} when it is set. */
    public static SchedulerOptions fromEnvironment(Map<String, String> env) {
        String policy = env.get(POLICY_VARIABLE);
        SchedulerOptions d = defaults();
        return policy == null || policy.isBlank() ? d : d.withPolicy(SchedulingPolicy.parse(policy));
    }

    public SchedulerOptions withNodeStaleness(Duration d) { return new SchedulerOptions(d, retryInterval, heartbeatLookback, warmUp, policy); }

    public SchedulerOptions withRetryInterval(Duration d) { return new SchedulerOptions(nodeStaleness, d, heartbeatLookback, warmUp, policy); }

    public SchedulerOptions withHeartbeatLookback(Duration d) { return new SchedulerOptions(nodeStaleness, retryInterval, d, warmUp, policy); }

    public SchedulerOptions withWarmUp(Duration d) { return new SchedulerOptions(nodeStaleness, retryInterval, heartbeatLookback, d, policy); }

    public SchedulerOptions withPolicy(SchedulingPolicy p) { return new SchedulerOptions(nodeStaleness, retryInterval, heartbeatLookback, warmUp, p); }
}
