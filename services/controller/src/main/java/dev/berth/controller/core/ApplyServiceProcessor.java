package dev.berth.controller.core;

import dev.berth.bus.contract.ApplyService;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.ServiceApplied;
import dev.berth.bus.contract.ServiceSpec;
import java.util.List;
import java.util.Optional;

/**
 * Creates a Service or replaces its spec: its cluster IP and nodePorts are allocated (and kept on a re-apply
 * that names none); an identical spec changes nothing.
 */
public final class ApplyServiceProcessor implements CommandProcessor<ApplyService> {

    @Override
    public List<Event> process(ControllerState state, String commandId, ApplyService command) {
        ServiceSpec spec = command.service();
        List<String> problems = ServiceRules.check(spec);
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));
        Optional<String> refused = NamespaceRules.refusesNewObjects(state, spec.namespace());
        if (refused.isPresent()) return List.of(Verdicts.rejected(commandId, command, List.of(refused.get())));

        Optional<ServiceRecord> existing = state.service(spec.key());
        if (existing.isPresent()) {
            List<String> immutable = ServiceRules.update(existing.get().spec(), spec);
            if (!immutable.isEmpty()) return List.of(Verdicts.rejected(commandId, command, immutable));
            // Naming no cluster IP keeps the one it has (headless stays headless).
            if (spec.clusterIP() == null) spec = spec.withClusterIP(existing.get().spec().clusterIP());
        }
        ServiceRules.Allocated allocated = ServiceRules.allocate(state, spec);
        if (!allocated.ok()) return List.of(Verdicts.rejected(commandId, command, allocated.problems()));
        String name = "service/" + spec.name();
        if (existing.isEmpty()) return List.of(new ServiceApplied(allocated.spec()), Verdicts.accepted(commandId, command, name + " created"));
        if (existing.get().spec().equals(allocated.spec())) return List.of(Verdicts.accepted(commandId, command, name + " unchanged"));
        return List.of(new ServiceApplied(allocated.spec()), Verdicts.accepted(commandId, command, name + " configured"));
    }
}
