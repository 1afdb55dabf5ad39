package dev.berth.controller.core;

import dev.berth.bus.contract.ConfigMapDeleted;
import dev.berth.bus.contract.DeleteConfigMap;
import dev.berth.bus.contract.Event;
import java.util.List;

/** Deletes a ConfigMap: running containers keep what they read, containers started later that need it wait. */
public final class DeleteConfigMapProcessor implements CommandProcessor<DeleteConfigMap> {

    @Override
    public List<Event> process(ControllerState state, String commandId, DeleteConfigMap command) {
        if (state.configMap(command.target()).isEmpty()) {
            return List.of(Verdicts.rejected(commandId, command, List.of(ConfigRules.notFound("configmaps", command.name()))));
        }
        return List.of(new ConfigMapDeleted(command.namespace(), command.name()),
                Verdicts.accepted(commandId, command, "configmap \"" + command.name() + "\" deleted"));
    }
}
