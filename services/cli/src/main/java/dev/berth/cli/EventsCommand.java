package dev.berth.cli;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Topic;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "events", description = "The cluster's event stream in words (like kubectl get events; nothing expires while the topics keep it):"
        + " the events of namespace -n (default) and of cluster-wide objects (nodes, namespaces); -A: all, after a NAMESPACE column.")
final class EventsCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin NamespaceOptions namespaces;
    private final EventText.PodNamespaces podNamespaces = new EventText.PodNamespaces();

    @Option(names = {"-f", "--follow"}, description = "keep printing new events")
    boolean follow;

    @Option(names = "--since", description = "only events from this time (ISO or relative like -10m)")
    String since;

    @Option(names = "--for", description = "only events about this object, e.g. pod/web-7d4kq, deployment/web, node/node-1")
    String object;

    @Option(names = "--heartbeats", description = "include node heartbeats (one per node per second)")
    boolean heartbeats;

    @Mixin HistoryOptions history;

    /** Every topic that holds history; dead letters are records, not events. */
    static final List<Topic> HISTORY = List.of(Topic.COMMANDS, Topic.COMMAND_RESULTS, Topic.DEPLOYMENTS, Topic.PODS, Topic.NODES,
            Topic.PLACEMENTS, Topic.SCHEDULING, Topic.POD_STATUS, Topic.SERVICES, Topic.ENDPOINTS, Topic.NODE_HEARTBEATS,
            Topic.CONFIG_MAPS, Topic.SECRETS, Topic.JOBS);

    @Override
    public Integer call() {
        Instant from = since == null ? Instant.MIN : Times.parse(since, Instant.now());
        LogSource source = history.source(cluster);
        for (LogSource.Entry e : source.entries(topics())) print(e.envelope(), from);
        if (follow && !history.fromFile()) follow(cluster.bus(), from);
        return 0;
    }

    private List<Topic> topics() {
        return heartbeats ? HISTORY : HISTORY.stream().filter(t -> t != Topic.NODE_HEARTBEATS).toList();
    }

    private void print(Envelope e, Instant from) {
        String line = line(e, from, object, namespaces, podNamespaces);
        if (line != null) System.out.println(line);
    }

    /** The line {@code berth events} prints for an event, or null when it is filtered out; {@code pods} learns from every event. */
    static String line(Envelope e, Instant from, String object, NamespaceOptions namespaces, EventText.PodNamespaces pods) {
        pods.learn(e.data());
        if (e.time().isBefore(from)) return null;
        if (object != null && !EventText.object(e.data()).equals(object)) return null;
        String namespace = EventText.namespace(e.data(), pods);
        if (namespace != null && !namespaces.shows(namespace)) return null;
        return namespaces.all ? EventText.line(e, namespace) : EventText.line(e);
    }

    /** Tails every history topic from its current end until interrupted. */
    private void follow(BusConfig bus, Instant from) {
        new GetWatch(bus, topics()).follow(e -> print(e, from));
    }
}
