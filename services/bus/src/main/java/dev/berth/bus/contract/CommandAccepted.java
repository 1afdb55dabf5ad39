package dev.berth.bus.contract;

/** The controller accepted a command; {@code message} says what it changed. */
public record CommandAccepted(String commandId, String commandType, String target, String message) implements CommandResult {
}
