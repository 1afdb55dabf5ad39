package dev.berth.bus.contract;

import java.util.List;

/**
 * The controller refused a command. {@code reason} is one sentence a person can act on;
 * {@code problems} lists every individual finding. For a record that could not even be parsed,
 * {@code commandId} is its position, {@code <topic>-<partition>@<offset>}.
 */
public record CommandRejected(String commandId, String commandType, String target, String reason,
                              List<String> problems) implements CommandResult {
    public CommandRejected {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
