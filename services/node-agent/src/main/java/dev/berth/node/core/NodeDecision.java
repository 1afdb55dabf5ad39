package dev.berth.node.core;

import dev.berth.bus.Outbound;
import java.util.List;

/** The result of one step of the node core: the new state, runtime actions and events to publish. */
public record NodeDecision(NodeState state, List<NodeAction> actions, List<Outbound> events) {
    public NodeDecision {
        actions = List.copyOf(actions);
        events = List.copyOf(events);
    }

    static NodeDecision of(NodeState state) { return new NodeDecision(state, List.of(), List.of()); }
}
