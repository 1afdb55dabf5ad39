package dev.berth.controller.core;

import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.Event;
import java.util.List;

/**
 * Decides one kind of command against the current state. Returns the events that record the
 * decision: changes to desired state (if any) and, last, exactly one CommandAccepted or
 * CommandRejected. Pure: the caller applies the events.
 */
public interface CommandProcessor<C extends Command> {
    List<Event> process(ControllerState state, String commandId, C command);
}
