package dev.berth.controller.core;

import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.UncordonNode;
import java.util.List;

/** Makes a cordoned node schedulable again; the scheduler then retries its pending pods. */
public final class UncordonNodeProcessor implements CommandProcessor<UncordonNode> {

    @Override
    public List<Event> process(ControllerState state, String commandId, UncordonNode command) {
        List<String> problems = NodeRules.known(state, command.node());
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));
        NodeRecord node = state.nodes().get(command.node());
        if (!node.cordoned()) return List.of(Verdicts.accepted(commandId, command, "node/" + node.name() + " already uncordoned"));
        return List.of(new NodeStatusChanged(node.name(), node.conditionOrReady(), false, "uncordoned by an operator",
                        node.lastHeartbeat(), node.podCIDR()),
                Verdicts.accepted(commandId, command, "node/" + node.name() + " uncordoned"));
    }
}
