package dev.berth.cli;

import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.Event;

/** Prints a command's answer; exit code 0 when accepted, 1 when rejected. */
final class CommandOutput {
    private CommandOutput() {}

    static int print(Event answer) {
        if (answer instanceof CommandAccepted a) {
            System.out.println(a.message());
            return 0;
        }
        CommandRejected r = (CommandRejected) answer;
        System.err.println("error: rejected: " + r.reason());
        for (String p : r.problems()) System.err.println("  - " + p);
        return 1;
    }
}
