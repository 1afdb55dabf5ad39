package dev.berth.controller.core;

import dev.berth.bus.contract.DeleteService;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.ServiceDeleted;
import java.util.List;

/** Deletes a Service: its addresses are freed, and the endpoints reconciler removes its Endpoints record. */
public final class DeleteServiceProcessor implements CommandProcessor<DeleteService> {

    @Override
    public List<Event> process(ControllerState state, String commandId, DeleteService command) {
        if (state.service(command.target()).isEmpty()) {
            return List.of(Verdicts.rejected(commandId, command, List.of(ServiceRules.notFound(command.name()))));
        }
        return List.of(new ServiceDeleted(command.namespace(), command.name()),
                Verdicts.accepted(commandId, command, "service \"" + command.name() + "\" deleted"));
    }
}
