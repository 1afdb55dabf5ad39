package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code berth} command line: kubectl for Berth, plus the local stack. */
@Command(name = "berth", mixinStandardHelpOptions = true, version = "berth 0.1.0",
        description = "A small container orchestrator on Kafka.",
        subcommands = {UpCommand.class, DownCommand.class, ApplyCommand.class, CreateCommand.class, GetCommand.class, ScaleCommand.class, RolloutCommand.class, SetCommand.class, AutoscaleCommand.class, DeleteCommand.class, ServiceCommand.class,
                NodeCommand.class, ImageCommand.class, DescribeCommand.class, CordonCommand.class, UncordonCommand.class, DrainCommand.class,
                EventsCommand.class, WhyCommand.class, TopCommand.class, LogsCommand.class, LogExportCommand.class, ReplayCommand.class, WaitCommand.class,
                CommandLine.HelpCommand.class})
public final class Berth {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Berth())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // Users get the reason, not a stack trace; BERTH_DEBUG=1 shows the trace.
                    cmd.getErr().println("error: " + e.getMessage());
                    if (System.getenv("BERTH_DEBUG") != null) e.printStackTrace(cmd.getErr());
                    return 1;
                })
                .execute(args);
    }
}
