package dev.berth.controller.core;

import dev.berth.bus.contract.DeleteJob;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.JobDeleted;
import dev.berth.bus.contract.Namespaces;
import java.util.List;

/** Removes a Job; the reconciler then asks for all its pods to stop (kubectl's default cascade). */
public final class DeleteJobProcessor implements CommandProcessor<DeleteJob> {

    @Override
    public List<Event> process(ControllerState state, String commandId, DeleteJob command) {
        if (state.job(command.namespace(), command.name()).isEmpty()) {
            String where = Namespaces.DEFAULT.equals(command.namespace()) ? "" : " in namespace '" + command.namespace() + "'";
            return List.of(Verdicts.rejected(commandId, command, List.of("jobs.batch \"" + command.name() + "\" not found" + where)));
        }
        int pods = state.podsOf(JobRecord.ownerKey(command.namespace(), command.name())).size();
        return List.of(new JobDeleted(command.name(), command.namespace(), "deleted by a DeleteJob command"),
                Verdicts.accepted(commandId, command, "job.batch/" + command.name() + " deleted: " + Verdicts.pods(pods) + " will be stopped"));
    }
}
