package dev.berth.controller.core;

import dev.berth.bus.contract.DrainNode;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodDeletionRequested;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties a node, like {@code kubectl drain}: cordons it, then asks for every pod on it to be
 * deleted. Those pods no longer count as replicas, so the {@link Reconciler} creates replacements,
 * which the scheduler places elsewhere (the node is cordoned). Pods that reach the node after the
 * drain (placed before the scheduler heard of the cordon) are evicted by the {@link Reconciler}.
 */
public final class DrainNodeProcessor implements CommandProcessor<DrainNode> {
    /** The reason of a drain's cordon; the node counts as draining until it is uncordoned. */
    public static final String REASON = "drained by an operator";

    @Override
    public List<Event> process(ControllerState state, String commandId, DrainNode command) {
        List<String> problems = NodeRules.known(state, command.node());
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));
        NodeRecord node = state.nodes().get(command.node());
        List<Event> events = new ArrayList<>();
        if (!node.draining()) events.add(CordonNodeProcessor.cordon(node, REASON));
        List<String> evicted = new ArrayList<>();
        for (PodRecord pod : state.podsOn(node.name())) {
            if (pod.deletionRequested()) continue;
            events.add(new PodDeletionRequested(pod.name(), pod.deployment(), "node " + node.name() + " drained", pod.namespace(), pod.ownerKind()));
            evicted.add(pod.name());
        }
        String cordoned = "node/" + node.name() + (node.cordoned() ? " already cordoned" : " cordoned");
        String message = evicted.isEmpty() ? cordoned + "; no pods to evict"
                : cordoned + "; evicting " + Verdicts.pods(evicted.size()) + ": " + String.join(", ", evicted);
        events.add(Verdicts.accepted(commandId, command, message));
        return events;
    }
}
