package dev.berth.controller.core;

import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.Event;
import java.util.List;
import java.util.Optional;

/** Removes a deployment from desired state; the reconciler then asks for all its pods to stop. */
public final class DeleteDeploymentProcessor implements CommandProcessor<DeleteDeployment> {

    @Override
    public List<Event> process(ControllerState state, String commandId, DeleteDeployment command) {
        Optional<DeploymentRecord> existing = state.deployment(command.name());
        if (existing.isEmpty()) return List.of(Verdicts.rejected(commandId, command, List.of(notFound(command.name()))));
        int pods = state.livePodsOf(command.name()).size();
        return List.of(new DeploymentDeleted(command.name(), existing.get().generation()),
                Verdicts.accepted(commandId, command,
                        "deployment " + command.name() + " deleted: " + Verdicts.pods(pods) + " will be stopped"));
    }

    static String notFound(String name) { return "deployment '" + name + "' not found"; }
}
