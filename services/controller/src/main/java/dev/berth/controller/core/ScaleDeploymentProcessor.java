package dev.berth.controller.core;

import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.ScaleDeployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Changes the replica count of an existing deployment. */
public final class ScaleDeploymentProcessor implements CommandProcessor<ScaleDeployment> {

    @Override
    public List<Event> process(ControllerState state, String commandId, ScaleDeployment command) {
        Optional<DeploymentRecord> existing = state.deployment(command.namespace(), command.name());
        List<String> problems = new ArrayList<>();
        if (existing.isEmpty()) problems.add(DeleteDeploymentProcessor.notFound(command.namespace(), command.name()));
        problems.addAll(DeploymentRules.replicas(command.replicas()));
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));

        DeploymentRecord before = existing.get();
        String name = DeploymentRules.qualified(command.namespace(), command.name());
        if (before.replicas() == command.replicas()) {
            return List.of(Verdicts.accepted(commandId, command,
                    "deployment " + name + " unchanged: already " + Verdicts.replicas(before.replicas())));
        }
        return List.of(new DeploymentScaled(command.name(), command.replicas(), before.generation() + 1, command.namespace(), command.reason()),
                Verdicts.accepted(commandId, command,
                        "deployment " + name + " scaled from " + before.replicas() + " to " + command.replicas()));
    }
}
