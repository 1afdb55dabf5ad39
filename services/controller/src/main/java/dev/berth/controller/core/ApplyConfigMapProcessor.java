package dev.berth.controller.core;

import dev.berth.bus.contract.ApplyConfigMap;
import dev.berth.bus.contract.ConfigMapApplied;
import dev.berth.bus.contract.ConfigMapSpec;
import dev.berth.bus.contract.Event;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creates a ConfigMap or replaces its values; an immutable one keeps them, an identical one changes nothing. */
public final class ApplyConfigMapProcessor implements CommandProcessor<ApplyConfigMap> {

    @Override
    public List<Event> process(ControllerState state, String commandId, ApplyConfigMap command) {
        ConfigMapSpec spec = command.configMap();
        Optional<String> refused = NamespaceRules.refusesNewObjects(state, spec.namespace());
        if (refused.isPresent()) return List.of(Verdicts.rejected(commandId, command, List.of(refused.get())));
        String name = "configmap/" + spec.name();
        Optional<ConfigMapSpec> existing = state.configMap(spec.key());
        if (existing.isEmpty()) return List.of(new ConfigMapApplied(spec), Verdicts.accepted(commandId, command, name + " created"));
        ConfigMapSpec old = existing.get();
        List<String> problems = ConfigRules.update("ConfigMap", spec.name(), old.immutable(), values(old), spec.immutable(), values(spec));
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));
        if (old.equals(spec)) return List.of(Verdicts.accepted(commandId, command, name + " unchanged"));
        return List.of(new ConfigMapApplied(spec), Verdicts.accepted(commandId, command, name + " configured"));
    }

    private static Map<String, Map<String, String>> values(ConfigMapSpec m) {
        return Map.of("data", m.data(), "binaryData", m.binaryData());
    }
}
