package dev.berth.controller.core;

import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.Namespaces;
import java.util.List;
import java.util.Optional;

/** Removes a deployment from desired state; the reconciler then asks for all its pods to stop. */
public final class DeleteDeploymentProcessor implements CommandProcessor<DeleteDeployment> {

    @Override
    public List<Event> process(ControllerState state, String commandId, DeleteDeployment command) {
        Optional<DeploymentRecord> existing = state.deployment(command.namespace(), command.name());
        if (existing.isEmpty()) {
            return List.of(Verdicts.rejected(commandId, command, List.of(notFound(command.namespace(), command.name()))));
        }
        int pods = state.livePodsOf(command.target()).size();
        return List.of(new DeploymentDeleted(command.name(), existing.get().generation(), command.namespace()),
                Verdicts.accepted(commandId, command, "deployment " + DeploymentRules.qualified(command.namespace(), command.name())
                        + " deleted: " + Verdicts.pods(pods) + " will be stopped"));
    }

    /** Like before namespaces in default; elsewhere it names the namespace, or says it does not exist. */
    static String notFound(String namespace, String name) {
        if (Namespaces.DEFAULT.equals(namespace)) return "deployment '" + name + "' not found";
        return "deployment '" + name + "' not found in namespace '" + namespace + "'";
    }
}
