package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for the node core's {@link Decision}s: runtime actions are their effects. */
final class Decisions {
    private Decisions() {}

    static Decision<NodeState> of(NodeState state) { return Decision.unchanged(state); }

    static Decision<NodeState> of(NodeState state, Outbound event) { return Decision.of(state, List.of(event)); }

    static Decision<NodeState> of(NodeState state, List<? extends NodeAction> actions, List<Outbound> events) {
        return new Decision<>(state, events, List.copyOf(actions), null);
    }

    /** {@code d} with its status reports remembered in its state, for {@link NodeCore#statusReport}. */
    static Decision<NodeState> remembered(Decision<NodeState> d) {
        List<PodStatusChanged> statuses = new ArrayList<>(d.outputs().size());
        for (Outbound e : d.outputs()) if (e.payload() instanceof PodStatusChanged status) statuses.add(status);
        return statuses.isEmpty() ? d : new Decision<>(d.state().withReported(statuses), d.outputs(), d.effects(), d.followUp());
    }
}
