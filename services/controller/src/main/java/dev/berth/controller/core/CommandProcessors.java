package dev.berth.controller.core;

import dev.berth.bus.Cause;
import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Outbound;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ApplyHorizontalPodAutoscaler;
import dev.berth.bus.contract.DeleteHorizontalPodAutoscaler;
import dev.berth.bus.contract.ApplyConfigMap;
import dev.berth.bus.contract.ApplyNamespace;
import dev.berth.bus.contract.ApplySecret;
import dev.berth.bus.contract.DeleteConfigMap;
import dev.berth.bus.contract.DeleteSecret;
import dev.berth.bus.contract.ApplyService;
import dev.berth.bus.contract.DeleteService;
import dev.berth.bus.contract.DeleteNamespace;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.CordonNode;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DrainNode;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.contract.UncordonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entry point for a decoded record of berth.commands: routes it to its processor and applies the
 * decision. A command id already accepted is answered again with the same result and changes
 * nothing (Kafka delivers at least once). A rejected command changed nothing, so a re-delivered
 * one is simply judged again.
 */
public final class CommandProcessors {
    private CommandProcessors() {}

    private static final ApplyDeploymentProcessor APPLY = new ApplyDeploymentProcessor();
    private static final ScaleDeploymentProcessor SCALE = new ScaleDeploymentProcessor();
    private static final DeleteDeploymentProcessor DELETE = new DeleteDeploymentProcessor();
    private static final ApplyNamespaceProcessor APPLY_NAMESPACE = new ApplyNamespaceProcessor();
    private static final DeleteNamespaceProcessor DELETE_NAMESPACE = new DeleteNamespaceProcessor();
    private static final CordonNodeProcessor CORDON = new CordonNodeProcessor();
    private static final UncordonNodeProcessor UNCORDON = new UncordonNodeProcessor();
    private static final DrainNodeProcessor DRAIN = new DrainNodeProcessor();
    private static final ApplyServiceProcessor APPLY_SERVICE = new ApplyServiceProcessor();
    private static final DeleteServiceProcessor DELETE_SERVICE = new DeleteServiceProcessor();
    private static final ApplyHorizontalPodAutoscalerProcessor APPLY_AUTOSCALER = new ApplyHorizontalPodAutoscalerProcessor();
    private static final DeleteHorizontalPodAutoscalerProcessor DELETE_AUTOSCALER = new DeleteHorizontalPodAutoscalerProcessor();
    private static final ApplyJobProcessor APPLY_JOB = new ApplyJobProcessor();
    private static final DeleteJobProcessor DELETE_JOB = new DeleteJobProcessor();
    private static final ApplyConfigMapProcessor APPLY_CONFIG_MAP = new ApplyConfigMapProcessor();
    private static final DeleteConfigMapProcessor DELETE_CONFIG_MAP = new DeleteConfigMapProcessor();
    private static final ApplySecretProcessor APPLY_SECRET = new ApplySecretProcessor();
    private static final DeleteSecretProcessor DELETE_SECRET = new DeleteSecretProcessor();

    /** The command types, as an answer lists them: "A, B or C". */
    static final String COMMAND_TYPES = commandTypes();

    private static String commandTypes() {
        List<String> names = java.util.Arrays.stream(Command.class.getPermittedSubclasses()).map(Class::getSimpleName).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /**
     * Every output answers the command (its correlation and causation); each is named by an id derived
     * from the command's, and a deployment event is remembered in the state as what the pod events it
     * leads to answer.
     */
    public static Decision<ControllerState> process(ControllerState state, Envelope envelope, Instant now) {
        Cause command = Cause.of(envelope);
        if (!(envelope.data() instanceof Command command_)) {
            String type = envelope.type();
            CommandRejected notACommand = new CommandRejected(envelope.id(), type, null,
                    type + " is not a command: berth.commands takes " + COMMAND_TYPES,
                    List.of("/type: " + type + " is an event"));
            return Decision.of(state, List.of(Outputs.route(notACommand).causedBy(command)));
        }
        Optional<CommandAccepted> earlier = state.acceptedCommand(envelope.id());
        if (earlier.isPresent()) return Decision.of(state, List.of(Outputs.route(earlier.get()).causedBy(command)));
        Decision<ControllerState> decided = Steps.of(state, decide(state, envelope.id(), command_), now);
        ControllerState after = decided.state();
        List<Outbound> outputs = new ArrayList<>(decided.outputs().size());
        for (Outbound out : decided.outputs()) {
            Outbound named = out.causedBy(command).named(Cause.derivedId(envelope.id(), outputs.size()));
            String deployment = EventAppliers.deploymentEventName((Event) out.payload());
            if (deployment != null) after = after.withCause(deployment, command.through(named.id()));
            outputs.add(named);
        }
        return Decision.of(after, outputs);
    }

    static List<Event> decide(ControllerState state, String commandId, Command command) {
        if (command instanceof ApplyDeployment c) return APPLY.process(state, commandId, c);
        if (command instanceof ScaleDeployment c) return SCALE.process(state, commandId, c);
        if (command instanceof DeleteDeployment c) return DELETE.process(state, commandId, c);
        if (command instanceof ApplyNamespace c) return APPLY_NAMESPACE.process(state, commandId, c);
        if (command instanceof DeleteNamespace c) return DELETE_NAMESPACE.process(state, commandId, c);
        if (command instanceof CordonNode c) return CORDON.process(state, commandId, c);
        if (command instanceof UncordonNode c) return UNCORDON.process(state, commandId, c);
        if (command instanceof DrainNode c) return DRAIN.process(state, commandId, c);
        if (command instanceof ApplyService c) return APPLY_SERVICE.process(state, commandId, c);
        if (command instanceof DeleteService c) return DELETE_SERVICE.process(state, commandId, c);
        if (command instanceof ApplyHorizontalPodAutoscaler c) return APPLY_AUTOSCALER.process(state, commandId, c);
        if (command instanceof DeleteHorizontalPodAutoscaler c) return DELETE_AUTOSCALER.process(state, commandId, c);
        if (command instanceof ApplyConfigMap c) return APPLY_CONFIG_MAP.process(state, commandId, c);
        if (command instanceof DeleteConfigMap c) return DELETE_CONFIG_MAP.process(state, commandId, c);
        if (command instanceof ApplySecret c) return APPLY_SECRET.process(state, commandId, c);
        if (command instanceof DeleteSecret c) return DELETE_SECRET.process(state, commandId, c);
        if (command instanceof dev.berth.bus.contract.ApplyJob c) return APPLY_JOB.process(state, commandId, c);
        if (command instanceof dev.berth.bus.contract.DeleteJob c) return DELETE_JOB.process(state, commandId, c);
        throw new IllegalStateException("no processor for " + command.getClass().getSimpleName());
    }
}
