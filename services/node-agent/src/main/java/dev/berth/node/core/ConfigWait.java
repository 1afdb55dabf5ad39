package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.node.image.PullBackoff;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A container held back by its ConfigMaps and Secrets ({@link PodConfig}): a referenced object or key is not there
 * (yet). As the kubelet, no restart is counted (the container never existed) and the pod waits, whatever its restart
 * policy: Waiting with reason CreateContainerConfigError (env) or ContainerCreating (a volume: FailedMount), and the
 * start is tried again every {@link #RETRY} (the kubelet's pod sync), so a ConfigMap created later is picked up.
 * The wait is an entry of the node's back-off map under the pod's {@link #key}, forgotten with the pod's others.
 */
public final class ConfigWait {
    private ConfigWait() {}

    public static final Duration RETRY = Duration.ofSeconds(2);
    public static final Set<String> REASONS = Set.of(PodConfig.MISSING_ENV_SOURCE, PodConfig.FAILED_MOUNT);

    static String key(String pod) {
        return pod + "/#config";
    }

    /** The start could not be configured: Waiting, tried again in {@link #RETRY}. */
    static Decision<NodeState> failed(NodeState s, String pod, String reason, String message, Instant now) {
        PodRuntime r = s.actual().get(pod);
        if (r == null || r.state() != ContainerState.Starting) return Decisions.of(s);
        String shown = PodConfig.FAILED_MOUNT.equals(reason) ? PullBackoff.CONTAINER_CREATING : PodConfig.CREATE_CONTAINER_CONFIG_ERROR;
        if (!s.desired().containsKey(pod)) {
            return Decisions.of(s.withActual(pod, r.with(ContainerState.Failed, null)), PodStatus.of(s, r, ContainerState.Failed, null, shown, message));
        }
        Instant retryAt = now.plus(RETRY);
        Map<String, PullBackoff.Entry> entries = new HashMap<>(s.pulls().entries());
        PullBackoff.Entry old = entries.get(key(pod));
        entries.put(key(pod), new PullBackoff.Entry(old == null ? 1 : old.failures() + 1, retryAt, reason, message));
        NodeState next = s.withPulls(new PullBackoff(entries));
        PodRuntime waiting = r.with(ContainerState.Failed, null).waiting(null, r.backoffSteps(), retryAt);
        return Decisions.of(next.withActual(pod, waiting), PodStatus.of(next, waiting, ContainerState.Waiting, null, shown, message));
    }

    /** Whether a Waiting pod waits for its configuration (not for a restart). */
    static boolean waiting(NodeState s, PodPlaced p) {
        return s.pulls().entries().containsKey(key(p.pod()));
    }

    /** A new try starts: the wait is over (a failure makes a new one). */
    static NodeState retrying(NodeState s, String pod) {
        return s.withPulls(s.pulls().succeeded(key(pod)));
    }
}
