package dev.berth.controller.core;

import dev.berth.bus.contract.ApplyNamespace;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NamespaceApplied;
import java.util.List;
import java.util.Optional;

/** Creates a namespace; one that exists is unchanged, one still terminating cannot be created again yet (as in Kubernetes). */
public final class ApplyNamespaceProcessor implements CommandProcessor<ApplyNamespace> {

    @Override
    public List<Event> process(ControllerState state, String commandId, ApplyNamespace command) {
        List<String> problems = NamespaceRules.name(command.name());
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));
        Optional<NamespaceRecord> existing = state.namespace(command.name());
        if (existing.isPresent() && existing.get().terminating()) {
            return List.of(Verdicts.rejected(commandId, command,
                    List.of("object is being deleted: namespaces \"" + command.name() + "\" already exists")));
        }
        if (existing.isPresent()) return List.of(Verdicts.accepted(commandId, command, "namespace " + command.name() + " unchanged"));
        return List.of(new NamespaceApplied(command.name()), Verdicts.accepted(commandId, command, "namespace " + command.name() + " created"));
    }
}
