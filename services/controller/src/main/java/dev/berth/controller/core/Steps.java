package dev.berth.controller.core;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.Event;
import java.time.Instant;
import java.util.List;

/** The controller's decisions in the shared {@link Decision} shape: events applied to the state and routed to their topics. */
public final class Steps {
    private Steps() {}

    /** Decides {@code events}: applies them to {@code state} and routes each to its topic. */
    public static Decision<ControllerState> of(ControllerState state, List<? extends Event> events, Instant now) {
        return Decision.of(EventAppliers.applyAll(state, events, now), events.stream().map(Outputs::route).toList());
    }
}
