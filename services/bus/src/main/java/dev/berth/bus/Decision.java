package dev.berth.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What every core returns for one input: the state after it, the records to publish, the shell's own
 * work to do (e.g. a node agent's runc actions; empty for controller and scheduler), and optionally a
 * follow-up input the core wants next (a reconcile or scheduling cycle that stopped at its burst
 * limit). The {@link ServiceLoop} queues a follow-up behind whatever input arrived meanwhile.
 */
public record Decision<S>(S state, List<Outbound> outputs, List<Object> effects, Object followUp) {
    public Decision {
        outputs = List.copyOf(outputs);
        effects = List.copyOf(effects);
    }

    public Decision(S state, List<Outbound> outputs) { this(state, outputs, List.of(), null); }

    public static <S> Decision<S> unchanged(S state) { return new Decision<>(state, List.of(), List.of(), null); }

    public static <S> Decision<S> of(S state, List<Outbound> outputs) { return new Decision<>(state, outputs, List.of(), null); }

    public Decision<S> withFollowUp(Object input) { return new Decision<>(state, outputs, effects, input); }

    public Decision<S> withEffects(List<?> more) {
        List<Object> all = new ArrayList<>(effects);
        all.addAll(more);
        return new Decision<>(state, outputs, all, followUp);
    }

    /** Runs {@code next} on this decision's state: the outputs and effects of both, in order; the later follow-up. */
    public Decision<S> then(Function<S, Decision<S>> next) {
        Decision<S> after = next.apply(state);
        List<Outbound> all = new ArrayList<>(outputs);
        all.addAll(after.outputs);
        List<Object> allEffects = new ArrayList<>(effects);
        allEffects.addAll(after.effects);
        return new Decision<>(after.state, all, allEffects, after.followUp != null ? after.followUp : followUp);
    }

    /** The same outputs with every output's cause set by {@code causeOf} (outputs that have one keep it). */
    public Decision<S> caused(Function<Outbound, Cause> causeOf) {
        List<Outbound> out = new ArrayList<>(outputs.size());
        for (Outbound o : outputs) out.add(o.cause() != null ? o : o.causedBy(causeOf.apply(o)));
        return new Decision<>(state, out, effects, followUp);
    }
}
