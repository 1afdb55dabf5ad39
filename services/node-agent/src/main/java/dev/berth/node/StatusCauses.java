package dev.berth.node;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which placement record a pod status change answers, so the user's command's correlation id flows on
 * to Running and {@code berth why} can follow the chain: a PodPlaced causes the first start (Starting, then
 * Running or a failed start); a PodReleased causes the stop (Terminating, Stopped). What happens later
 * (exits, back-offs, restarts) is the container's doing and stays spontaneous, as do containers adopted
 * from an earlier agent process. Not thread-safe: the agent's event loop owns it.
 */
public final class StatusCauses {
    private final Map<String, Envelope> pending = new HashMap<>();

    /** A placement record for this node was read. */
    public void read(Envelope placement) {
        if (placement.data() instanceof PodPlaced p) pending.put(p.pod(), placement);
        else if (placement.data() instanceof PodReleased r) pending.put(r.pod(), placement);
    }

    /** The pod's next status changes are not a placement's answer (e.g. an adopted container). */
    public void forget(String pod) {
        pending.remove(pod);
    }

    /** The placement record that caused this status change, or null; the last answer of an episode ends it. */
    public Envelope causeOf(PodStatusChanged status) {
        Envelope cause = pending.get(status.pod());
        if (cause == null) return null;
        ContainerState state = status.state();
        boolean answersPlacement = cause.data() instanceof PodPlaced && status.restartCount() == 0
                && (state == ContainerState.Starting || state == ContainerState.Running || state == ContainerState.Failed);
        boolean answersRelease = cause.data() instanceof PodReleased
                && (state == ContainerState.Terminating || state == ContainerState.Stopped);
        if (!answersPlacement && !answersRelease) return null;
        if (state != ContainerState.Starting && state != ContainerState.Terminating) pending.remove(status.pod());
        return cause;
    }

    /** Drops what is pending for pods the node no longer knows. */
    public void retainOnly(Set<String> pods) {
        pending.keySet().retainAll(pods);
    }
}
