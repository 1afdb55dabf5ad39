package dev.berth.cli;

import dev.berth.bus.Topic;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.labels.LabelSelector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth top pods|nodes}: kubectl top, from the node agents' samples on berth.resource-metrics (read
 * from one staleness bound back only) and the cluster view for pods' labels and requests and nodes' allocatable.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = "Show CPU (millicores) and memory (working set, Mi) of pods or nodes, as kubectl top.")
public final class TopCommand implements Callable<Integer> {

    enum Kind { pods, pod, po, nodes, node, no }

    @Mixin ClusterOptions cluster;
    @Mixin HistoryOptions history;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", description = "pods | nodes")
    Kind kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "only this pod or node")
    String name;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "only pods whose labels match (kubectl's syntax)")
    String selector;

    @Option(names = "--containers", description = "one line per container of each pod")
    boolean containers;

    @Override
    public Integer call() {
        Selection selection;
        try {
            selection = Selection.of(name, selector);
        } catch (LabelSelector.InvalidSelector e) {
            System.err.println("error: invalid selector \"" + selector + "\": " + e.getMessage());
            return 1;
        }
        Instant now = Instant.now();
        LogSource source = history.source(cluster, t -> t == Topic.RESOURCE_METRICS ? now.minus(ResourceTop.STALE)
                : GetCommand.heartbeatsSince(now).apply(t), null);
        ClusterView view = GetCommand.loadAt(source, now);
        List<NodeMetrics> samples = new ArrayList<>();
        for (LogSource.Entry e : source.entries(List.of(Topic.RESOURCE_METRICS))) {
            if (e.envelope().data() instanceof NodeMetrics m) samples.add(m);
        }
        var latest = ResourceTop.latest(samples, now);
        boolean nodes = kind == Kind.nodes || kind == Kind.node || kind == Kind.no;
        if (nodes && name != null) latest.keySet().retainAll(List.of(name));
        String out = nodes ? ResourceTop.nodes(view, latest) : ResourceTop.pods(view, latest, namespaces, selection, containers);
        if (out == null) {
            System.err.println(ResourceTop.NOT_AVAILABLE);
            return 1;
        }
        System.out.print(out);
        return 0;
    }
}
