package dev.berth.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one benchmark run does.
 *
 * @param pods                 pods to place on hollow nodes
 * @param nodes                hollow nodes
 * @param podsPerCommand       replicas per ApplyDeployment (the controller accepts at most 10,000)
 * @param schedulerOnly        run the scheduler without the controller: the benchmark writes the PodCreated
 *                             events itself, to measure the scheduler alone at a scale the controller cannot reach
 * @param hopRecords           records for the raw consume→produce hop
 * @param burst                pods started at once on the real runc node; 0 skips that part
 * @param burstCpuMillis       cpu limit of each burst pod (runc's own start-up runs under it)
 * @param rawRuncRuns          how many raw {@code runc run} to take the median of
 * @param stallTimeout         a phase gives up when nothing progressed this long
 * @param controlPlaneJvmOptions options of the control plane's JVM (heap, GC, a JFR recording)
 * @param workDir              where logs of the run are kept
 * @param hollowStatusReport   how often the hollow nodes re-report every pod's status (zero: never); a real agent's 1 min by default
 */
public record BenchOptions(int pods, int nodes, int podsPerCommand, boolean schedulerOnly, int hopRecords,
                           int burst, int burstCpuMillis, int rawRuncRuns, Duration stallTimeout,
                           List<String> controlPlaneJvmOptions, Path workDir, Duration hollowStatusReport) {

    public BenchOptions(int pods, int nodes, int podsPerCommand, boolean schedulerOnly, int hopRecords, int burst, int burstCpuMillis,
                        int rawRuncRuns, Duration stallTimeout, List<String> controlPlaneJvmOptions, Path workDir) {
        this(pods, nodes, podsPerCommand, schedulerOnly, hopRecords, burst, burstCpuMillis, rawRuncRuns, stallTimeout, controlPlaneJvmOptions,
                workDir, null);
    }

    public static final List<String> DEFAULT_CONTROL_PLANE_JVM = List.of("-Xmx2g");

    public BenchOptions {
        if (pods < 1 || nodes < 1 || podsPerCommand < 1) throw new IllegalArgumentException("pods, nodes and pods per command must be positive");
        if (burst < 0) throw new IllegalArgumentException("burst must not be negative");
        controlPlaneJvmOptions = List.copyOf(controlPlaneJvmOptions);
        hollowStatusReport = hollowStatusReport == null ? Duration.ofMinutes(1) : hollowStatusReport;
        if (hollowStatusReport.isNegative()) throw new IllegalArgumentException("status report interval must not be negative");
    }

    /** ApplyDeployment commands needed for {@link #pods}. */
    public int commands() { return (pods + podsPerCommand - 1) / podsPerCommand; }
}
