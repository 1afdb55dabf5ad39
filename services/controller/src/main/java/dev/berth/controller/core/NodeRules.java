package dev.berth.controller.core;

import java.util.List;
import java.util.Set;

/** What a node command needs: a node the controller knows (it has heartbeated or has a status). */
final class NodeRules {
    private NodeRules() {}

    /** The problems with naming {@code node}; empty when it is known. */
    static List<String> known(ControllerState state, String node) {
        if (node == null || node.isBlank()) return List.of("node must not be empty");
        if (state.nodes().containsKey(node)) return List.of();
        Set<String> names = state.nodes().keySet(); // sorted
        String known = names.isEmpty() ? "none (no node has sent a heartbeat yet)" : String.join(", ", names);
        return List.of("node '" + node + "' not found; known nodes: " + known);
    }
}
