package dev.berth.controller.core;

import dev.berth.bus.contract.DeleteSecret;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.SecretDeleted;
import java.util.List;

/** Deletes a Secret: running containers keep what they read, containers started later that need it wait. */
public final class DeleteSecretProcessor implements CommandProcessor<DeleteSecret> {

    @Override
    public List<Event> process(ControllerState state, String commandId, DeleteSecret command) {
        if (state.secret(command.target()).isEmpty()) {
            return List.of(Verdicts.rejected(commandId, command, List.of(ConfigRules.notFound("secrets", command.name()))));
        }
        return List.of(new SecretDeleted(command.namespace(), command.name()),
                Verdicts.accepted(commandId, command, "secret \"" + command.name() + "\" deleted"));
    }
}
