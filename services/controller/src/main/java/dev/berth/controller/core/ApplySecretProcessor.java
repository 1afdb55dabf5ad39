package dev.berth.controller.core;

import dev.berth.bus.contract.ApplySecret;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.SecretApplied;
import dev.berth.bus.contract.SecretSpec;
import java.util.List;
import java.util.Optional;

/**
 * Creates a Secret or replaces its values; an immutable one keeps them, an identical one changes nothing. No answer
 * names a value: problems speak of keys and fields only.
 */
public final class ApplySecretProcessor implements CommandProcessor<ApplySecret> {

    @Override
    public List<Event> process(ControllerState state, String commandId, ApplySecret command) {
        SecretSpec spec = command.secret();
        Optional<String> refused = NamespaceRules.refusesNewObjects(state, spec.namespace());
        if (refused.isPresent()) return List.of(Verdicts.rejected(commandId, command, List.of(refused.get())));
        String name = "secret/" + spec.name();
        Optional<SecretSpec> existing = state.secret(spec.key());
        if (existing.isEmpty()) return List.of(new SecretApplied(spec), Verdicts.accepted(commandId, command, name + " created"));
        SecretSpec old = existing.get();
        if (!old.type().equals(spec.type())) {
            return List.of(Verdicts.rejected(commandId, command, List.of("Secret \"" + spec.name() + "\" is invalid: type: Invalid value: \""
                    + spec.type() + "\": field is immutable")));
        }
        List<String> problems = ConfigRules.update("Secret", spec.name(), old.immutable(), old.data(), spec.immutable(), spec.data());
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));
        if (old.equals(spec)) return List.of(Verdicts.accepted(commandId, command, name + " unchanged"));
        return List.of(new SecretApplied(spec), Verdicts.accepted(commandId, command, name + " configured"));
    }
}
