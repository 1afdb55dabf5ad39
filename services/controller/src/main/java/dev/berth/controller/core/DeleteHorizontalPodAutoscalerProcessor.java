package dev.berth.controller.core;

import dev.berth.bus.contract.DeleteHorizontalPodAutoscaler;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.HorizontalPodAutoscalerDeleted;
import java.util.List;

/** Deletes a HorizontalPodAutoscaler; its Deployment keeps the replicas it has, as in Kubernetes. */
public final class DeleteHorizontalPodAutoscalerProcessor implements CommandProcessor<DeleteHorizontalPodAutoscaler> {

    @Override
    public List<Event> process(ControllerState state, String commandId, DeleteHorizontalPodAutoscaler command) {
        if (state.autoscaler(command.target()).isEmpty()) {
            return List.of(Verdicts.rejected(commandId, command, List.of(AutoscalerRules.notFound(command.name()))));
        }
        return List.of(new HorizontalPodAutoscalerDeleted(command.namespace(), command.name()),
                Verdicts.accepted(commandId, command, "horizontalpodautoscaler.autoscaling \"" + command.name() + "\" deleted"));
    }
}
