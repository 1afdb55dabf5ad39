package dev.berth.bench;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Topic.Owner;
import dev.berth.bus.security.Acls;
import dev.berth.bus.security.BusAccounts;
import dev.berth.bus.security.BusAccounts.Account;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the bus's authentication costs: the placement benchmark on hollow nodes against a fresh broker
 * without authentication, then against one with SASL/SCRAM-SHA-512 and ACLs, each service and the hollow
 * nodes on their own principal as {@code berth up} runs them; rounds alternate off/on so drift in the
 * machine's load hits both. docs/benchmarks.md.
 */
@Command(name = "auth", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Placement rate with the bus's authentication and ACLs off, then on, in one run.")
final class AuthCostBenchmark implements Callable<Integer> {

    @Option(names = "--pods", defaultValue = "20000", description = "pods placed per measurement (default ${DEFAULT-VALUE})")
    int pods;

    @Option(names = "--nodes", defaultValue = "500", description = "hollow nodes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--pods-per-command", defaultValue = "1000", description = "replicas per ApplyDeployment (default ${DEFAULT-VALUE})")
    int podsPerCommand;

    @Option(names = "--rounds", defaultValue = "2", description = "off/on pairs (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--stall-timeout", defaultValue = "60", description = "seconds without progress before a run gives up (default ${DEFAULT-VALUE})")
    int stallSeconds;

    @Option(names = "--control-plane-jvm", split = " ", description = "JVM options of the control plane's process (default -Xmx2g)")
    List<String> controlPlaneJvm;

    @Option(names = "--work-dir", description = "where the run's logs and the principals' client files go (default: a new temp dir)")
    Path workDir;

    /** One measurement: authentication on or off, and what the placement benchmark saw. */
    record Run(boolean authenticated, PlacementBenchmark.Result result) {}

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("berth-bench-auth-");
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (boolean auth : new boolean[] {false, true}) {
                Path runDir = Files.createDirectories(dir.resolve("round-" + round + (auth ? "-auth" : "-plain")));
                BenchOptions o = new BenchOptions(pods, nodes, podsPerCommand, false, 0, 0, 0, 0, Duration.ofSeconds(stallSeconds),
                        controlPlaneJvm != null ? controlPlaneJvm : BenchOptions.DEFAULT_CONTROL_PLANE_JVM, runDir);
                System.err.printf("berth-bench auth: round %d, authentication %s: %,d pods on %,d hollow nodes%n", round, auth ? "ON" : "OFF", pods, nodes);
                runs.add(new Run(auth, measure(auth, o, System.err)));
            }
        }
        print(runs, System.out);
        return 0;
    }

    static PlacementBenchmark.Result measure(boolean authenticated, BenchOptions o, PrintStream progress) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary(authenticated)) {
            BusConfig plain = new BusConfig(kafka.bootstrapServers());
            if (!authenticated) {
                BenchTopics.create(plain);
                return PlacementBenchmark.run(plain, o, progress);
            }
            BusConfig admin = new BusConfig(kafka.superUserBootstrap(), kafka.superUserClient());
            BenchTopics.create(admin);
            Account user = Account.create(Owner.USERS, Acls.USER);
            Account controller = Account.create(Owner.CONTROLLER, Acls.principal(Owner.CONTROLLER));
            Account scheduler = Account.create(Owner.SCHEDULER, Acls.principal(Owner.SCHEDULER));
            // All hollow nodes share one agent's principal: the ACLs a node gets do not depend on its name.
            Account nodes = Account.create(Owner.NODE_AGENT, Acls.principal(Owner.NODE_AGENT, "hollow"));
            BusAccounts.apply(admin, List.of(user, controller, scheduler, nodes));
            List<String> flags = List.of(
                    "controller-client=" + writeClient(o.workDir().resolve("controller.properties"), controller.on(plain)),
                    "scheduler-client=" + writeClient(o.workDir().resolve("scheduler.properties"), scheduler.on(plain)));
            return PlacementBenchmark.run(new PlacementBenchmark.Principals(user.on(plain), nodes.on(plain), flags), o, progress);
        }
    }

    /** A principal's client properties for the control plane's JVM: 0600, they hold its password. */
    private static Path writeClient(Path file, BusConfig bus) throws IOException {
        Properties p = new Properties();
        p.putAll(bus.client());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "berth-bench auth: one service's principal");
        }
        return file;
    }

    static void print(List<Run> runs, PrintStream out) {
        out.println();
        out.printf("%-15s %22s %22s %22s %28s %14s %12s%n", "authentication", "placed/s first→last", "placed/s from command",
                "Running/s from command", "command → placed p50 / p99", "control CPU s", "bench CPU s");
        for (Run r : runs) {
            PlacementBenchmark.Result x = r.result();
            out.printf("%-15s %,22.0f %,22.0f %,22.0f %28s %14.1f %12.1f%s%n", r.authenticated() ? "on (SCRAM+ACL)" : "off",
                    x.placedPerSecond(), x.placedEndToEndPerSecond(), x.runningEndToEndPerSecond(),
                    Report.ms(x.toPlaced().p50()) + " / " + Report.ms(x.toPlaced().p99()), x.controlPlaneCpuSeconds(), x.benchCpuSeconds(),
                    x.incomplete() == null ? "" : "  INCOMPLETE: " + x.incomplete());
        }
        double off = median(runs, false), on = median(runs, true);
        out.printf("%nmedian placed/s first→last: off %,.0f, on %,.0f: authentication costs %.1f %% of the placement rate%n",
                off, on, 100 * (off - on) / off);
    }

    private static double median(List<Run> runs, boolean authenticated) {
        double[] v = runs.stream().filter(r -> r.authenticated() == authenticated).mapToDouble(r -> r.result().placedPerSecond()).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
