package dev.berth.controller.core;

import dev.berth.bus.Limits;
import dev.berth.bus.Payloads;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import java.util.List;

/** The one answer each command gets. */
public final class Verdicts {
    private Verdicts() {}

    /** An acceptance; a long message (a drain listing every evicted pod) is cut to {@link Limits#TEXT_MAX_LENGTH}. */
    public static CommandAccepted accepted(String commandId, Command command, String message) {
        return new CommandAccepted(commandId, Payloads.typeName(command), command.target(), Limits.excerpt(message, Limits.TEXT_MAX_LENGTH));
    }

    /** A rejection whose reason is the only problem, or all of them in one sentence. */
    public static CommandRejected rejected(String commandId, Command command, List<String> problems) {
        String kind = command instanceof dev.berth.bus.contract.ApplyService || command instanceof dev.berth.bus.contract.DeleteService
                ? "service" : command instanceof dev.berth.bus.contract.ApplyJob || command instanceof dev.berth.bus.contract.DeleteJob ? "job" : "deployment";
        return new CommandRejected(commandId, Payloads.typeName(command), command.target(), reason(kind, command.target(), problems),
                Limits.boundedProblems(problems));
    }

    /** The only problem, or all of them in one sentence; never longer than {@link Limits#TEXT_MAX_LENGTH}. */
    static String reason(String target, List<String> problems) { return reason("deployment", target, problems); }

    static String reason(String kind, String target, List<String> problems) {
        if (problems.size() == 1) return Limits.excerpt(problems.get(0), Limits.TEXT_MAX_LENGTH);
        return Limits.excerpt(kind + " '" + target + "' has " + problems.size() + " problems: " + String.join("; ", problems),
                Limits.TEXT_MAX_LENGTH);
    }

    static String replicas(int n) { return n == 1 ? "1 replica" : n + " replicas"; }

    static String pods(long n) { return n == 1 ? "1 pod" : n + " pods"; }
}
