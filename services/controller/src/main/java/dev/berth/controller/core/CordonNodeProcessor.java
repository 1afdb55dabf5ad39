package dev.berth.controller.core;

import dev.berth.bus.contract.CordonNode;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeStatusChanged;
import java.util.List;

/** Marks a node unschedulable: its pods keep running, the scheduler places no new ones there. */
public final class CordonNodeProcessor implements CommandProcessor<CordonNode> {

    @Override
    public List<Event> process(ControllerState state, String commandId, CordonNode command) {
        List<String> problems = NodeRules.known(state, command.node());
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));
        NodeRecord node = state.nodes().get(command.node());
        if (node.cordoned()) return List.of(Verdicts.accepted(commandId, command, "node/" + node.name() + " already cordoned"));
        return List.of(cordon(node, "cordoned by an operator"),
                Verdicts.accepted(commandId, command, "node/" + node.name() + " cordoned"));
    }

    static NodeStatusChanged cordon(NodeRecord node, String reason) {
        return new NodeStatusChanged(node.name(), node.conditionOrReady(), true, reason, node.lastHeartbeat(), node.podCIDR());
    }
}
