package dev.berth.bus.contract;

/** The one answer to a command. */
public sealed interface CommandResult extends Event permits CommandAccepted, CommandRejected {
    /** The envelope id of the command answered; also the record key. */
    String commandId();
}
