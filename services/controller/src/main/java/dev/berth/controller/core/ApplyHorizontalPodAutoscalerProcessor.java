package dev.berth.controller.core;

import dev.berth.bus.contract.ApplyHorizontalPodAutoscaler;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.HorizontalPodAutoscalerApplied;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import java.util.List;
import java.util.Optional;

/**
 * Creates a HorizontalPodAutoscaler or replaces its spec, stored with Kubernetes' defaults filled in; an
 * identical spec changes nothing. Its target Deployment may not exist yet (the autoscaler says so in its status).
 */
public final class ApplyHorizontalPodAutoscalerProcessor implements CommandProcessor<ApplyHorizontalPodAutoscaler> {

    @Override
    public List<Event> process(ControllerState state, String commandId, ApplyHorizontalPodAutoscaler command) {
        HorizontalPodAutoscalerSpec spec = command.autoscaler();
        List<String> problems = AutoscalerRules.check(spec);
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, List.of(AutoscalerRules.invalid(spec.name(), problems))));
        Optional<String> refused = NamespaceRules.refusesNewObjects(state, spec.namespace());
        if (refused.isPresent()) return List.of(Verdicts.rejected(commandId, command, List.of(refused.get())));

        HorizontalPodAutoscalerSpec defaulted = spec.withDefaults();
        Optional<HorizontalPodAutoscalerSpec> existing = state.autoscaler(spec.key());
        String name = "horizontalpodautoscaler.autoscaling/" + spec.name();
        if (existing.isEmpty()) return List.of(new HorizontalPodAutoscalerApplied(defaulted), Verdicts.accepted(commandId, command, name + " created"));
        if (existing.get().equals(defaulted)) return List.of(Verdicts.accepted(commandId, command, name + " unchanged"));
        return List.of(new HorizontalPodAutoscalerApplied(defaulted), Verdicts.accepted(commandId, command, name + " configured"));
    }
}
