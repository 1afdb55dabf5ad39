package dev.berth.node.core;

import dev.berth.bus.Cause;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a node's loop still owes, kept in the node's state so that the shell keeps no queues or cause
 * maps of its own: the placement record each pod's next status changes answer, the starts waiting for
 * a free slot (in the order they were decided) and the pods being launched now, and whether the agent
 * is shutting down (then nothing new is started).
 *
 * @param causes     pod → the placement or release its next status changes answer (see {@link NodeAgentCore})
 * @param queued     starts decided but not yet handed to the runtime
 * @param launching  pods whose start the runtime is running now; each takes one of {@code startSlots}
 * @param startSlots how many starts may run at once
 */
public record Pending(Map<String, PodCause> causes, List<NodeAction.StartContainer> queued, Set<String> launching,
                      int startSlots, boolean shuttingDown) {

    /** The placement record (PodPlaced, or PodReleased when {@code release}) a pod's status changes answer. */
    public record PodCause(Cause cause, boolean release) {}

    public Pending {
        causes = Map.copyOf(causes);
        queued = List.copyOf(queued);
        launching = Set.copyOf(launching);
        if (startSlots < 1) throw new IllegalArgumentException("startSlots must be at least 1: " + startSlots);
    }

    public static Pending none(int startSlots) { return new Pending(Map.of(), List.of(), Set.of(), startSlots, false); }

    static final Pending UNLIMITED = none(Integer.MAX_VALUE);
}
