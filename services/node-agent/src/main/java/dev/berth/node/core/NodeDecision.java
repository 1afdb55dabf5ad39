package dev.berth.node.core;

import dev.berth.bus.Outbound;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.ArrayList;
import java.util.List;

/** The result of one step of the node core: the new state, runtime actions and events to publish. */
public record NodeDecision(NodeState state, List<NodeAction> actions, List<Outbound> events) {
    public NodeDecision {
        actions = List.copyOf(actions);
        events = List.copyOf(events);
    }

    static NodeDecision of(NodeState state) { return new NodeDecision(state, List.of(), List.of()); }

    static NodeDecision of(NodeState state, Outbound event) { return new NodeDecision(state, List.of(), List.of(event)); }

    /** This step with its status reports remembered in its state, for {@link NodeCore#statusReport}. */
    NodeDecision remembered() {
        List<PodStatusChanged> statuses = new ArrayList<>(events.size());
        for (Outbound e : events) if (e.payload() instanceof PodStatusChanged status) statuses.add(status);
        return statuses.isEmpty() ? this : new NodeDecision(state.withReported(statuses), actions, events);
    }

    /** This step followed by {@code later}, which was decided on this step's state. */
    NodeDecision then(NodeDecision later) {
        List<NodeAction> a = new ArrayList<>(actions);
        a.addAll(later.actions);
        List<Outbound> e = new ArrayList<>(events);
        e.addAll(later.events);
        return new NodeDecision(later.state, a, e);
    }
}
