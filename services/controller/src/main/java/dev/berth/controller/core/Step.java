package dev.berth.controller.core;

import dev.berth.bus.Outbound;
import dev.berth.bus.contract.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The result of one decision: the state after it and what to publish for it. */
public record Step(ControllerState state, List<Outbound> outputs) {
    public Step {
        outputs = List.copyOf(outputs);
    }

    public static Step unchanged(ControllerState state) { return new Step(state, List.of()); }

    /** Decides {@code events}: applies them to {@code state} and routes each to its topic. */
    public static Step of(ControllerState state, List<? extends Event> events, Instant now) {
        return new Step(EventAppliers.applyAll(state, events, now), events.stream().map(Outputs::route).toList());
    }

    /** Runs {@code next} on this step's state; the outputs of both, in order. */
    public Step then(Function<ControllerState, Step> next) {
        Step after = next.apply(state);
        List<Outbound> all = new ArrayList<>(outputs);
        all.addAll(after.outputs);
        return new Step(after.state, all);
    }
}
