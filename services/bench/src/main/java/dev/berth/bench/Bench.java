package dev.berth.bench;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.BusConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Berth's benchmark: placement throughput and latency on hollow nodes, the same broker's raw hop
 * rate, the control plane's heap, and pod start latency on a real runc node, printed as one table
 * with the targets; {@code berth-bench proxy} benchmarks the Service proxy alone
 * ({@link ServiceProxyBenchmark}), {@code berth-bench metrics} what resource metrics cost ({@link MetricsCostBenchmark}), {@code berth-bench seccomp}
 * what the default seccomp profile costs a start ({@link SeccompCostBenchmark}), {@code berth-bench auth} what the bus's authentication
 * costs ({@link AuthCostBenchmark}).
 * See docs/benchmarks.md.
 */
@Command(name = "berth-bench", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {ServiceProxyBenchmark.class, MetricsCostBenchmark.class, SeccompCostBenchmark.class, AuthCostBenchmark.class},
        description = "Runs Berth against a fresh embedded Kafka broker and prints one table of measurements and targets.")
public final class Bench implements Callable<Integer> {

    @Option(names = "--pods", defaultValue = "100000", description = "pods to place on hollow nodes (default ${DEFAULT-VALUE})")
    int pods;

    @Option(names = "--nodes", defaultValue = "5000", description = "hollow nodes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--pods-per-command", defaultValue = "1000", description = "replicas per ApplyDeployment (default ${DEFAULT-VALUE})")
    int podsPerCommand;

    @Option(names = "--scheduler-only", description = "no controller: the benchmark writes the PodCreated events itself "
            + "(one writer per topic still holds: nothing else writes them) to measure the scheduler alone")
    boolean schedulerOnly;

    @Option(names = "--hop-records", description = "records for the raw consume→produce hop (default: as many as pods, at least 20,000)")
    Integer hopRecords;

    @Option(names = "--burst", defaultValue = "100", description = "pods applied at once on the real runc node; 0 skips it (default ${DEFAULT-VALUE})")
    int burst;

    @Option(names = "--burst-cpu-millis", defaultValue = "100", description = "cpu limit of each burst pod (default ${DEFAULT-VALUE})")
    int burstCpuMillis;

    @Option(names = "--raw-runc-runs", defaultValue = "20", description = "raw `runc run` samples (default ${DEFAULT-VALUE})")
    int rawRuncRuns;

    @Option(names = "--stall-timeout", defaultValue = "60", description = "seconds without progress before a phase gives up (default ${DEFAULT-VALUE})")
    int stallSeconds;

    @Option(names = "--control-plane-jvm", split = " ",
            description = "JVM options of the control plane's process, space-separated (default -Xmx2g), e.g. "
                    + "\"-Xmx2g -XX:StartFlightRecording=filename=cp.jfr,settings=profile\"")
    List<String> controlPlaneJvm;

    @Option(names = "--hollow-status-report", defaultValue = "60",
            description = "seconds between the hollow nodes' full re-reports of every pod's status, as a real agent's; 0: never (default ${DEFAULT-VALUE})")
    int hollowStatusReportSeconds;

    @Option(names = "--work-dir", description = "where the run's logs go (default: a new temp dir)")
    Path workDir;

    public static void main(String[] args) {
        // The runc node's agent logs every container; its summary is in the table.
        System.setProperty("org.slf4j.simpleLogger.log.dev.berth.node", "warn");
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("berth-bench-");
        BenchOptions options = new BenchOptions(pods, nodes, podsPerCommand, schedulerOnly, hopRecords != null ? hopRecords : Math.max(pods, 20_000),
                burst, burstCpuMillis, rawRuncRuns, Duration.ofSeconds(stallSeconds),
                controlPlaneJvm != null ? new ArrayList<>(controlPlaneJvm) : BenchOptions.DEFAULT_CONTROL_PLANE_JVM, dir,
                Duration.ofSeconds(hollowStatusReportSeconds));
        run(options, System.err, System.out);
        return 0;
    }

    /** Runs every part and prints the table to {@code out}; progress goes to {@code progress}. */
    public static void run(BenchOptions o, PrintStream progress, PrintStream out) throws Exception {
        PlacementBenchmark.Result placement;
        RawHop.Result hop;
        progress.println("berth-bench: starting a fresh embedded Kafka broker");
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            BusConfig bus = new BusConfig(kafka.bootstrapServers());
            BenchTopics.create(bus);
            progress.printf("[1/4] placement: %,d pods on %,d hollow nodes%n", o.pods(), o.nodes());
            placement = PlacementBenchmark.run(bus, o, progress);
            progress.println("[2/4] raw Kafka hop on the same broker");
            int recordBytes = placement.podCreatedBytes() > 0 ? placement.podCreatedBytes() : RawHop.TYPICAL_POD_CREATED_BYTES;
            try {
                hop = RawHop.run(bus, o.hopRecords(), recordBytes, progress);
            } catch (Exception e) {
                progress.println("  the raw hop failed: " + e);
                hop = RawHop.Result.failed(o.hopRecords(), recordBytes, e.toString());
            }
        }
        progress.printf("[3/4] runc start latency: burst of %d%n", o.burst());
        RuncStartBenchmark.Result runc;
        try {
            runc = RuncStartBenchmark.run(o, progress);
        } catch (Exception e) {
            progress.println("  the runc part failed: " + e);
            runc = RuncStartBenchmark.Result.skipped("FAILED: " + e);
        }
        progress.println("[4/4] done; logs in " + o.workDir());
        Report.print(o, placement, hop, runc, out);
    }
}
