package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark in miniature, so it keeps working: every part runs (the runc burst only as root with
 * runc) and the table is printed. Checks completion only, never a number: the build machine is shared.
 */
class BenchSmokeTest {
    @TempDir Path work;

    @Test
    void runsEveryPartAndPrintsTheTable() throws Exception {
        String printed = run(new BenchOptions(2_000, 50, 500, false, 5_000, 5, 100, 5, Duration.ofSeconds(30),
                BenchOptions.DEFAULT_CONTROL_PLANE_JVM, work));

        assertThat(printed).contains("placement rate, first → last PodPlaced", "command → Running", "raw hop consume → produce",
                "placement rate / raw hop rate", "control-plane heap after full GC", "runc");
        assertThat(printed).as("every pod placed and running, the hop measured").doesNotContain("INCOMPLETE", "FAILED");
        if (RuncStartBenchmark.unavailable() == null) assertThat(printed).contains("apply → Running p99", "raw `runc run true`");
    }

    @Test
    void measuresTheSchedulerAlone() throws Exception {
        String printed = run(new BenchOptions(1_000, 20, 500, true, 2_000, 0, 100, 5, Duration.ofSeconds(30),
                BenchOptions.DEFAULT_CONTROL_PLANE_JVM, work));

        assertThat(printed).contains("SCHEDULER ONLY", "PodCreated → PodPlaced", "skipped (--burst 0)");
        assertThat(printed).doesNotContain("INCOMPLETE", "FAILED");
    }

    private static String run(BenchOptions options) throws Exception {
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        Bench.run(options, System.out, new PrintStream(table, true, StandardCharsets.UTF_8));
        String printed = table.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        return printed;
    }
}
