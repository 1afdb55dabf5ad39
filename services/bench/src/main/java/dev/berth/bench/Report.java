package dev.berth.bench;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one table the benchmark prints: each measurement, and where the issue sets one, its target and verdict. */
final class Report {
    static final double TARGET_PODS_PER_SECOND = 10_000;
    static final double TARGET_FRACTION_OF_HOP = 0.20;
    static final long TARGET_HEAP_BYTES = 512L << 20;
    static final double TARGET_P50_OVER_RAW_MS = 50;
    static final double TARGET_P99_MS = 500;

    private record Row(String measurement, String value, String target, String verdict) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    static void print(BenchOptions o, PlacementBenchmark.Result placement, RawHop.Result hop, RuncStartBenchmark.Result runc,
                      PrintStream out) {
        Report r = new Report();
        r.placement(placement, o.schedulerOnly());
        r.hop(placement, hop);
        r.heap(placement, o);
        if (o.schedulerOnly()) r.notes.add("scheduler only: no controller ran; the benchmark wrote what it would have: NodeStatusChanged Ready "
                + "for every hollow node, then the PodCreated events");
        r.runc(runc);
        String load = o.schedulerOnly() ? "SCHEDULER ONLY, PodCreated written by the benchmark"
                : String.format(Locale.ROOT, "%d ApplyDeployment of up to %,d", o.commands(), o.podsPerCommand());
        out.printf(Locale.ROOT, "%nBerth benchmark, %s, %d cpus, Java %s: %,d pods on %,d hollow nodes (%s), runc burst of %d%n%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), o.pods(), o.nodes(), load, o.burst());
        r.printTable(out);
        out.println();
        r.notes.forEach(n -> out.println("  " + n));
    }

    private void placement(PlacementBenchmark.Result p, boolean schedulerOnly) {
        String miss = p.incomplete() != null ? "MISS (incomplete)" : null;
        row("placement rate, first → last PodPlaced", rate(p.placedPerSecond(), "pods/s"),
                "≥ " + count(TARGET_PODS_PER_SECOND) + " pods/s", miss != null ? miss : verdict(p.placedPerSecond() >= TARGET_PODS_PER_SECOND));
        row("placement rate, first command → last PodPlaced", rate(p.placedEndToEndPerSecond(), "pods/s"), "", "");
        row("Running rate, first command → last Running", rate(p.runningEndToEndPerSecond(), "pods/s"), "", "");
        if (!schedulerOnly) row("command → PodCreated (controller)", p.toCreated().text(), "", "");
        row((schedulerOnly ? "PodCreated" : "command") + " → PodPlaced (+ scheduler)", p.toPlaced().text(), "", "");
        row((schedulerOnly ? "PodCreated" : "command") + " → Running (+ hollow node)", p.toRunning().text(), "", "");
        if (p.incomplete() != null) notes.add("placement INCOMPLETE: " + p.incomplete());
        int pods = p.pods();
        if (p.toPlaced().count() > 0) notes.add(String.format(Locale.ROOT, "correlation ids: PodCreated %,d/%,d and PodPlaced %,d/%,d carry their command's; "
                        + "PodStatusChanged %,d/%,d (Running names its PodPlaced as cause; a status without one is matched to its command by pod name)",
                p.correlated().get("PodCreated"), pods, p.correlated().get("PodPlaced"), pods, p.correlated().get("PodStatusChanged"), pods));
        notes.add(String.format(Locale.ROOT, "latency = broker append time of the event − time in the %s's envelope; "
                + "all %d %s at once, so later pods queue behind earlier ones", schedulerOnly ? "first PodCreated of its batch" : "command",
                p.commands(), schedulerOnly ? "batches of PodCreated are written" : "commands are sent"));
        if (!Double.isNaN(p.wallSeconds())) notes.add(String.format(Locale.ROOT, "CPU while placing (%.1f s wall × %d cpus = %.1f cpu-s): control plane JVM %.1f cpu-s, "
                        + "benchmark JVM (broker, %,d hollow nodes, observer) %.1f cpu-s", p.wallSeconds(),
                Runtime.getRuntime().availableProcessors(), p.wallSeconds() * Runtime.getRuntime().availableProcessors(),
                p.controlPlaneCpuSeconds(), p.nodes(), p.benchCpuSeconds()));
        notes.add(String.format(Locale.ROOT, "%s%d PodUnschedulable, %d PodLost, %d NotReady",
                p.nodesConsidered() > 0 ? String.format(Locale.ROOT, "the scheduler knew %,d of %,d nodes before the run; ", p.nodesConsidered(), p.nodes()) : "",
                p.counts().unschedulable(), p.counts().lost(), p.counts().notReady()));
        notes.add("control plane log: " + p.controlPlaneLog());
    }

    private void hop(PlacementBenchmark.Result p, RawHop.Result hop) {
        row(String.format(Locale.ROOT, "raw hop consume → produce, %d B records, acks=all", hop.recordBytes()),
                rate(hop.perSecond(), "records/s"), "", "");
        row("  the same, one transaction per polled batch", rate(hop.transactionalPerSecond(), "records/s"), "", "");
        double fraction = p.placedPerSecond() / hop.perSecond();
        row("placement rate / raw hop rate", Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", fraction * 100),
                String.format(Locale.ROOT, "≥ %.0f %%", TARGET_FRACTION_OF_HOP * 100), verdict(fraction >= TARGET_FRACTION_OF_HOP));
        double ofTransactional = p.placedPerSecond() / hop.transactionalPerSecond();
        row("  / the transactional hop rate", Double.isNaN(ofTransactional) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", ofTransactional * 100),
                "", "");
        if (hop.failure() != null) notes.add("raw hop FAILED: " + hop.failure());
        else notes.add(String.format(Locale.ROOT, "raw hop: %,d records (the size of an average PodCreated) on an otherwise idle broker, "
                + "after the control plane and hollow nodes stopped; %.2f s, and %.2f s with one transaction per polled batch "
                + "(Berth's consumer settings), as the controller and scheduler publish", hop.records(), hop.seconds(), hop.txSeconds()));
    }

    private void heap(PlacementBenchmark.Result p, BenchOptions o) {
        long used = p.heap().used();
        row("control-plane heap after full GC", String.format(Locale.ROOT, "%,d MiB (committed %,d)", used >> 20, p.heap().committed() >> 20),
                "≤ " + (TARGET_HEAP_BYTES >> 20) + " MiB", verdict(used <= TARGET_HEAP_BYTES));
        notes.add("heap: " + (o.schedulerOnly() ? "the scheduler alone in its" : "controller + scheduler in their") + " own JVM (" + String.join(" ", o.controlPlaneJvmOptions())
                + String.format(Locale.ROOT, ") after the run (%,d pods placed, %,d nodes); hollow nodes and the broker live in the benchmark's JVM "
                + "and are not counted", p.counts().placed(), p.nodes()));
    }

    private void runc(RuncStartBenchmark.Result r) {
        if (r.skipped() != null) {
            row("runc burst: apply → Running", r.skipped(), "", "");
            return;
        }
        String miss = r.incomplete() != null ? "MISS (incomplete)" : null;
        StartSteps.Summaries single = r.single(), burst = r.burst();
        Latencies.Summary s = burst.total();
        row(String.format(Locale.ROOT, "runc, %d pods one at a time: apply → Running", single.total().count()), single.total().text(), "", "");
        row("  steps, p50", String.format(Locale.ROOT, "controller %s, scheduler %s, node agent %s, runc %s", ms(single.controller().p50()),
                ms(single.scheduler().p50()), ms(single.agent().p50()), ms(single.runc().p50())), "", "");
        row(String.format(Locale.ROOT, "runc burst of %d: apply → Running", r.pods()), s.text(), "", "");
        row("  command → PodCreated (controller)", burst.controller().text(), "", "");
        row("  PodCreated → PodPlaced (scheduler)", burst.scheduler().text(), "", "");
        row("  PodPlaced → Starting (node agent)", burst.agent().text(), "", "");
        row("  Starting → Running (runc)", burst.runc().text(), "", "");
        row(String.format(Locale.ROOT, "raw `runc run true`, median of %d", r.raw().runs()), ms(r.raw().runTrueMs()), "", "");
        row("raw `runc run sleep` until its pid file, median (shared read-only rootfs)", ms(r.raw().runUntilPidMs()), "", "");
        row("raw `runc run sleep` until its pid file on its own " + r.raw().rootfsKind() + " rootfs, mount included, median",
                ms(r.raw().overlayUntilPidMs()), "", "");
        row("  of which the " + r.raw().rootfsKind() + " mount, median", ms(r.raw().overlayMountMs()), "", "");
        row(String.format(Locale.ROOT, "raw burst of %d `runc run sleep`, %d at a time", r.raw().burstSize(), RawRunc.AGENT_WORKERS),
                r.raw().burst().text(), "", "");
        double limit = r.raw().runTrueMs() + TARGET_P50_OVER_RAW_MS;
        row("apply → Running p50", ms(s.p50()), "≤ raw + 50 ms = " + ms(limit), miss != null ? miss : verdict(s.p50() <= limit));
        row("apply → Running p99", ms(s.p99()), "≤ " + ms(TARGET_P99_MS), miss != null ? miss : verdict(s.p99() <= TARGET_P99_MS));
        notes.add(String.format(Locale.ROOT, "runc: one real node agent alone on its own broker and control plane; pods run busybox `sleep` "
                + "with %d m cpu, 16 MiB; raw runs use the same bundle shape and limits; the raw burst runs as many at once as the agent's "
                + "start slots (%d at once), times from the burst's start to each pid file", r.cpuMillis(), RawRunc.AGENT_WORKERS));
        if (r.incomplete() != null) notes.add("runc burst INCOMPLETE: " + r.incomplete());
    }

    private void row(String measurement, String value, String target, String verdict) {
        rows.add(new Row(measurement, value, target, verdict));
    }

    private void printTable(PrintStream out) {
        int[] w = new int[4];
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"measurement", "value", "target", ""});
        for (Row r : rows) cells.add(new String[] {r.measurement(), r.value(), r.target(), r.verdict()});
        for (String[] c : cells) for (int i = 0; i < 4; i++) w[i] = Math.max(w[i], c[i].length());
        for (String[] c : cells) {
            out.println(String.format("%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %s", (Object[]) c).stripTrailing());
        }
    }

    private static String verdict(boolean pass) { return pass ? "PASS" : "MISS"; }

    static String rate(double perSecond, String unit) {
        return Double.isNaN(perSecond) ? "n/a" : count(perSecond) + " " + unit;
    }

    static String count(double n) { return String.format(Locale.ROOT, "%,d", Math.round(n)); }

    static String ms(double ms) {
        if (Double.isNaN(ms)) return "n/a";
        return ms >= 100 ? String.format(Locale.ROOT, "%,.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
