package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth benchmark in miniature: with SCRAM and the catalogue's ACLs, the controller, the scheduler and
 * the hollow nodes, each on its own principal, still place and run every pod (no ACL the control plane
 * needs is missing), and the comparison table prints. Completion only, never a number.
 */
class AuthCostBenchmarkTest {
    @TempDir Path work;

    @Test
    void placesEveryPodWithAuthenticationOnAndPrintsTheComparison() throws Exception {
        BenchOptions o = new BenchOptions(600, 10, 300, false, 0, 0, 0, 0, Duration.ofSeconds(30), BenchOptions.DEFAULT_CONTROL_PLANE_JVM, work);
        PlacementBenchmark.Result on = AuthCostBenchmark.measure(true, o, System.out);
        assertThat(on.incomplete()).isNull();
        assertThat(on.counts().placed()).isGreaterThanOrEqualTo(600);

        ByteArrayOutputStream table = new ByteArrayOutputStream();
        AuthCostBenchmark.print(List.of(new AuthCostBenchmark.Run(false, on), new AuthCostBenchmark.Run(true, on)),
                new PrintStream(table, true, StandardCharsets.UTF_8));
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("on (SCRAM+ACL)", "authentication costs 0.0 %");
    }
}
