package dev.berth.cli;

import dev.berth.bus.BusConfig;
import dev.berth.bus.contract.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth wait --for=condition=complete job/NAME --timeout 60s}, as kubectl wait: polls the log (once a second)
 * until the Job has the condition with the wanted status, printing {@code job.batch/NAME condition met}; exit 1 with
 * kubectl's {@code timed out waiting for the condition on jobs/NAME} when the timeout runs out first. As kubectl, a
 * Job that failed does not end a wait for Complete early.
 */
@Command(name = "wait", description = "Wait until a Job has a condition: berth wait --for=condition=complete|failed job/NAME [--timeout 30s] [-n NS];"
        + " exit 1 when the timeout runs out first.")
final class WaitCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin NamespaceOptions namespaces;

    @Option(names = "--for", required = true, paramLabel = "condition=NAME[=VALUE]",
            description = "condition=complete or condition=failed (a Job's conditions; the value defaults to true)")
    String condition;

    @Option(names = "--timeout", description = "how long to wait (Go durations: 90s, 5m, 1m30s); default 30s", defaultValue = "30s")
    String timeout;

    @Parameters(index = "0", paramLabel = "job/NAME")
    String target;

    /** What --for asks: a condition type as Kubernetes spells it, and the status wanted. */
    record Wanted(String type, String status) {
        /** Whether the Job's status holds it. */
        boolean metBy(ClusterView.JobRow j) {
            if (j == null || j.status == null) return false;
            return j.status.conditions().stream().anyMatch(c -> c.type().equalsIgnoreCase(type) && c.status().equalsIgnoreCase(status));
        }
    }

    static Wanted wanted(String text) {
        String t = text == null ? "" : text.trim();
        if (!t.toLowerCase(Locale.ROOT).startsWith("condition=")) {
            throw new IllegalArgumentException("unrecognized condition: \"" + text + "\" (Berth waits for condition=complete or condition=failed)");
        }
        String rest = t.substring("condition=".length());
        int eq = rest.indexOf('=');
        String type = eq < 0 ? rest : rest.substring(0, eq), status = eq < 0 ? "True" : rest.substring(eq + 1);
        if (!type.equalsIgnoreCase(JobCondition.COMPLETE) && !type.equalsIgnoreCase(JobCondition.FAILED)) {
            throw new IllegalArgumentException("a Job's conditions are Complete and Failed, not \"" + type + "\"");
        }
        if (!status.equalsIgnoreCase("True") && !status.equalsIgnoreCase("False")) {
            throw new IllegalArgumentException("condition value must be true or false, not \"" + status + "\"");
        }
        return new Wanted(type, status);
    }

    @Override
    public Integer call() throws InterruptedException {
        String job = JobTables.nameIn(target);
        if (job == null) throw new IllegalArgumentException("berth wait takes job/NAME, not " + target);
        Wanted wanted = wanted(condition);
        Duration limit = RolloutStatus.timeout(timeout);
        BusConfig bus = cluster.bus();
        String namespace = namespaces.namespace();
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            ClusterView view = GetCommand.load(bus, Instant.now());
            ClusterView.JobRow row = view.job(namespace, job);
            if (row == null) {
                System.err.println("Error from server (NotFound): jobs.batch \"" + job + "\" not found");
                return 1;
            }
            if (wanted.metBy(row)) {
                System.out.println("job.batch/" + job + " condition met");
                return 0;
            }
            if (!Instant.now().isBefore(deadline)) {
                System.err.println("error: " + RolloutStatus.TIMED_OUT + " on jobs/" + job);
                return 1;
            }
            Thread.sleep(Math.max(1, Math.min(1000, Duration.between(Instant.now(), deadline).toMillis())));
        }
    }
}
