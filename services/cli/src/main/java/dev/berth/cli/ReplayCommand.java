package dev.berth.cli;

import dev.berth.bus.RawRecord;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerReplay;
import dev.berth.scheduler.core.SchedulingPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replay", description = "Re-run the scheduler over the inputs it saw: same policy → 0 differences; another → what it would have done.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", description = "what to replay: scheduler")
    String what;

    @Option(names = "--from", description = "compare decisions from this time (ISO or relative like -1h)")
    String from;

    @Option(names = "--to", description = "stop at this time")
    String to;

    @Option(names = "--policy", description = "replay under this policy instead of the recorded one: ${COMPLETION-CANDIDATES}")
    String policy;

    @Mixin HistoryOptions history;
    @Mixin NamespaceOptions namespaces;

    @Override
    public Integer call() {
        if (!"scheduler".equals(what)) throw new IllegalArgumentException("only the scheduler can be replayed: berth replay scheduler");
        Instant now = Instant.now();
        LogSource source = history.source(cluster);
        List<RawRecord> log = new ArrayList<>();
        source.read(SchedulerReplay.TOPICS, log::add);
        SchedulingPolicy p = policy == null ? null : SchedulingPolicy.valueOf(policy.toUpperCase(Locale.ROOT));
        long t0 = System.nanoTime();
        SchedulerReplay.Result result = SchedulerReplay.run(log, p, from == null ? null : Times.parse(from, now),
                to == null ? null : Times.parse(to, now), SchedulerOptions.defaults().nodeStaleness());
        System.out.print(render(result, (System.nanoTime() - t0) / 1_000_000, namespaces.given() ? namespaces : null));
        return 0;
    }

    static String render(SchedulerReplay.Result r, long millis) { return render(r, millis, null); }

    /**
     * The scheduler serves every namespace, so a replay covers them all; the differences name each
     * pod's namespace, and {@code only} (-n, or null) keeps those of one namespace.
     */
    static String render(SchedulerReplay.Result r, long millis, NamespaceOptions only) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("replayed %d scheduling steps (%d decisions) under policy %s in %d ms: %d pods placed differently%n",
                r.steps(), r.decisions(), r.policy(), millis, r.differences().size()));
        if (!r.differences().isEmpty()) {
            Table t = new Table("NAMESPACE", "POD", "RECORDED", "REPLAYED", "RECORDED SCORES", "REPLAYED SCORES");
            for (SchedulerReplay.Difference d : r.differences()) {
                String namespace = namespaceOf(d);
                if (only != null && !only.shows(namespace)) continue;
                t.row(namespace, d.pod(), orNone(d.recordedNode()), orNone(d.replayedNode()), scores(d.recorded()), scores(d.replayed()));
            }
            out.append(t.render());
        }
        Table summary = new Table("", "NODES USED", "PODS BOUND", "FREE CPU ON USED NODES");
        summary.row("recorded", Integer.toString(r.recorded().nodesUsed()), Integer.toString(r.recorded().podsBound()), percent(r.recorded().freeCpuOnUsedNodes()));
        summary.row("replayed", Integer.toString(r.replayed().nodesUsed()), Integer.toString(r.replayed().podsBound()), percent(r.replayed().freeCpuOnUsedNodes()));
        out.append(summary.render());
        return out.toString();
    }

    private static String namespaceOf(SchedulerReplay.Difference d) {
        PodPlaced p = d.recorded() != null ? d.recorded() : d.replayed();
        return p == null ? "default" : p.namespace();
    }

    private static String orNone(String node) { return node == null ? "<unschedulable>" : node; }

    private static String percent(double f) { return String.format(Locale.ROOT, "%.1f%%", f * 100); }

    /** The chosen node's per-plugin scores, e.g. {@code node-3 LeastAllocated=81.2 BalancedAllocation=97.0}. */
    private static String scores(PodPlaced p) {
        if (p == null || p.topCandidates().isEmpty()) return "";
        var best = p.topCandidates().get(0);
        return best.node() + " " + best.scores().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.1f", e.getValue())).collect(Collectors.joining(" "));
    }
}
