package dev.berth.controller.core;

import dev.berth.bus.contract.ApplyJob;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.JobApplied;
import dev.berth.bus.contract.JobSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Creates a Job (its uid derived from the command id, so a replay names it the same) or changes its mutable fields. */
public final class ApplyJobProcessor implements CommandProcessor<ApplyJob> {

    @Override
    public List<Event> process(ControllerState state, String commandId, ApplyJob command) {
        JobSpec spec = command.job();
        List<String> problems = JobRules.check(spec, state.knownImages());
        if (!problems.isEmpty()) return List.of(Verdicts.rejected(commandId, command, problems));
        Optional<String> refused = NamespaceRules.refusesNewObjects(state, spec.namespace());
        if (refused.isPresent()) return List.of(Verdicts.rejected(commandId, command, List.of(refused.get())));
        String name = "job.batch/" + DeploymentRules.qualified(spec.namespace(), spec.name());
        Optional<JobRecord> existing = state.job(spec.key());
        if (existing.isEmpty()) {
            return List.of(new JobApplied(spec, uid(commandId), 1), Verdicts.accepted(commandId, command, name + " created: "
                    + spec.completions() + " completions, parallelism " + spec.parallelism() + ", backoffLimit " + spec.backoffLimit()));
        }
        JobRecord before = existing.get();
        List<String> immutable = JobRules.update(before.spec(), spec);
        if (!immutable.isEmpty()) return List.of(Verdicts.rejected(commandId, command, immutable));
        if (before.spec().equals(spec)) return List.of(Verdicts.accepted(commandId, command, name + " unchanged"));
        return List.of(new JobApplied(spec, before.uid(), before.generation() + 1), Verdicts.accepted(commandId, command, name + " configured"));
    }

    /** A UUID (version 3) of the command id: unique per creating command, the same on every replay. */
    static String uid(String commandId) { return UUID.nameUUIDFromBytes(commandId.getBytes(StandardCharsets.UTF_8)).toString(); }
}
