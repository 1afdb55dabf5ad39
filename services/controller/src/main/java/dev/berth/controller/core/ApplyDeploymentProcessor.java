package dev.berth.controller.core;

import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Event;
import java.util.List;
import java.util.Optional;

/** Creates a deployment or replaces its spec; an identical spec changes nothing. */
public final class ApplyDeploymentProcessor implements CommandProcessor<ApplyDeployment> {

    @Override
    public List<Event> process(ControllerState state, String commandId, ApplyDeployment command) {
        DeploymentSpec spec = command.deployment();
        List<String> problems = DeploymentRules.check(spec, state.knownImages());
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));
        Optional<String> refused = NamespaceRules.refusesNewObjects(state, spec.namespace());
        if (refused.isPresent()) return List.of(Verdicts.rejected(commandId, command, List.of(refused.get())));

        Optional<DeploymentRecord> existing = state.deployment(spec.key());
        if (existing.isEmpty()) {
            return List.of(new DeploymentApplied(spec, 1, 1),
                    Verdicts.accepted(commandId, command,
                            "deployment " + DeploymentRules.qualified(spec.namespace(), spec.name()) + " created: " + Verdicts.replicas(spec.replicas())));
        }
        DeploymentRecord before = existing.get();
        List<String> immutable = DeploymentRules.update(before.spec(), spec);
        if (!immutable.isEmpty()) return List.of(Verdicts.rejected(commandId, command, immutable));
        // A spec without a selector that selects the same keeps the recorded one: it stays set, so immutable.
        if (spec.selector() == null && before.spec().selector() != null) spec = spec.withLabelsAndSelector(spec.labels(), before.spec().selector());
        if (before.spec().equals(spec)) {
            return List.of(Verdicts.accepted(commandId, command, "deployment " + DeploymentRules.qualified(spec.namespace(), spec.name()) + " unchanged"));
        }
        long generation = before.generation() + 1;
        long revision = before.revisionFor(spec.template());
        return List.of(new DeploymentApplied(spec, generation, revision),
                Verdicts.accepted(commandId, command, changeMessage(before.spec(), spec, generation, revision)));
    }

    private static String changeMessage(DeploymentSpec before, DeploymentSpec after, long generation, long revision) {
        String scaled = "from " + before.replicas() + " to " + after.replicas();
        if (before.template().equals(after.template())) {
            // Only the Deployment's own labels or a first selector: its pods stay as they are.
            if (before.replicas() == after.replicas()) return "deployment " + after.name() + " configured: its pods stay";
            return "deployment " + after.name() + " scaled " + scaled;
        }
        String message = "deployment " + after.name() + " updated to generation " + generation + ": rolling out revision " + revision
                + " (" + strategy(after) + ")";
        return before.replicas() == after.replicas() ? message : message + ", replicas " + scaled;
    }

    /** "RollingUpdate, max surge 1, max unavailable 0" (resolved for the replicas) or "Recreate". */
    private static String strategy(DeploymentSpec d) {
        var s = d.rollout().strategy();
        if (s.recreates()) return "Recreate";
        String text = "RollingUpdate, max surge " + s.surge(d.replicas()) + ", max unavailable " + s.unavailable(d.replicas());
        return d.rollout().paused() ? text + "; paused: nothing rolls until resumed" : text;
    }
}
