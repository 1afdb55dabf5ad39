package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.NodeResources;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Show pods, nodes or deployments, folded from the event log: berth get KIND [NAME] [-o table|wide|json|yaml|name] [-w].")
final class GetCommand implements Callable<Integer> {
    enum Kind { pods, pod, po, nodes, node, no, deployments, deployment, deploy }

    /** kubectl's printers; a value not here is an error, as in kubectl. */
    enum Output { table, wide, json, yaml, name }

    @Mixin ClusterOptions cluster;
    @Mixin HistoryOptions history;

    @Parameters(index = "0", description = "pods | nodes | deployments")
    Kind kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "only this object")
    String name;

    @Option(names = {"-o", "--output"}, description = "table (default), wide, json, yaml or name")
    String output = "table";

    @Option(names = {"-w", "--watch"}, description = "after listing, follow the log and print each object again when it changes")
    boolean watch;

    static final List<Topic> VIEW_TOPICS = List.of(Topic.DEPLOYMENTS, Topic.PODS, Topic.NODES, Topic.PLACEMENTS,
            Topic.SCHEDULING, Topic.POD_STATUS, Topic.NODE_HEARTBEATS);

    @Option(names = "--at", description = "show the cluster as it was at this time (ISO like 2026-11-27T10:00:00Z, or relative like -10m)")
    String at;

    @Override
    public Integer call() {
        Output format = output(output);
        if (format == null) {
            System.err.println("error: unable to match a printer suitable for the output format \"" + output
                    + "\", allowed formats are: json,name,wide,yaml");
            return 1;
        }
        Instant now = at == null ? Instant.now() : Times.parse(at, Instant.now());
        ClusterView view = loadAt(history.source(cluster, heartbeatsSince(now), at == null ? null : now), now);
        String kindName = kindName(kind);
        if (name != null && !exists(view, kind, name)) {
            System.err.println("Error from server (NotFound): " + kindName + " \"" + name + "\" not found");
            return 1;
        }
        System.out.print(render(view, kind, format, name, now, true));
        if (watch && at == null && !history.fromFile()) new GetWatch(cluster.bus(), VIEW_TOPICS).follow(view, e -> {
            String changed = GetWatch.subject(kind, e.data(), view);
            if (changed == null || (name != null && !name.equals(changed)) || !exists(view, kind, changed)) return;
            System.out.print(render(view, kind, format, changed, Instant.now(), false));
            System.out.flush();
        });
        return 0;
    }

    static Output output(String value) {
        if (value == null || value.isEmpty()) return Output.table;
        for (Output o : Output.values()) if (o.name().equals(value)) return o;
        return null;
    }

    static String kindName(Kind kind) {
        return switch (kind) {
            case pods, pod, po -> "pods";
            case nodes, node, no -> "nodes";
            default -> "deployments.apps";
        };
    }

    static boolean exists(ClusterView view, Kind kind, String name) {
        return switch (kind) {
            case pods, pod, po -> view.pods().stream().anyMatch(p -> p.name.equals(name));
            case nodes, node, no -> view.nodes().stream().anyMatch(n -> n.name.equals(name));
            default -> view.deployment(name) != null;
        };
    }

    /** The objects of {@code kind} (or only {@code only}) in {@code format}; {@code header} false prints rows alone (watch). */
    static String render(ClusterView view, Kind kind, Output format, String only, Instant now, boolean header) {
        return switch (kind) {
            case pods, pod, po -> switch (format) {
                case json -> KubeObjects.json(KubeObjects.pods(view, only));
                case yaml -> KubeObjects.yaml(KubeObjects.pods(view, only));
                case name -> names("pod/", view.pods().stream().map(p -> p.name), only);
                default -> rows(podsTable(view, now, format == Output.wide, only), header);
            };
            case nodes, node, no -> switch (format) {
                case json -> KubeObjects.json(KubeObjects.nodes(view, now, only));
                case yaml -> KubeObjects.yaml(KubeObjects.nodes(view, now, only));
                case name -> names("node/", view.nodes().stream().map(n -> n.name), only);
                default -> rows(nodesTable(view, now, format == Output.wide, only), header);
            };
            default -> switch (format) {
                case json -> KubeObjects.json(KubeObjects.deployments(view, only));
                case yaml -> KubeObjects.yaml(KubeObjects.deployments(view, only));
                case name -> names("deployment.apps/", view.deployments().stream().map(d -> d.spec.name()), only);
                default -> rows(deploymentsTable(view, now, format == Output.wide, only), header);
            };
        };
    }

    private static String names(String prefix, java.util.stream.Stream<String> names, String only) {
        StringBuilder out = new StringBuilder();
        names.filter(n -> only == null || only.equals(n)).forEach(n -> out.append(prefix).append(n).append(System.lineSeparator()));
        return out.toString();
    }

    private static String rows(String table, boolean header) {
        if (header) return table;
        int firstLine = table.indexOf('\n');
        return firstLine < 0 ? "" : table.substring(firstLine + 1);
    }

    /** Folds the log into the view of now; of the heartbeats only the last minute matters. */
    static ClusterView load(BusConfig bus, Instant now) {
        return loadAt(LogSource.broker(bus, heartbeatsSince(now)), now);
    }

    /**
     * The cluster as it was at {@code at}: the log folded up to that instant (time travel). Any
     * prefix of the log is a consistent cluster state, because every change is an event in it.
     */
    static ClusterView loadAt(LogSource source, Instant at) {
        ClusterView view = new ClusterView();
        for (LogSource.Entry e : source.entries(VIEW_TOPICS)) {
            if (e.envelope().time().isAfter(at)) continue;
            view.apply(e.envelope());
        }
        return view;
    }

    /** Only the heartbeats of the minute before {@code at} tell whether a node was alive then. */
    static java.util.function.Function<Topic, Instant> heartbeatsSince(Instant at) {
        return t -> t == Topic.NODE_HEARTBEATS ? at.minus(Duration.ofMinutes(1)) : null;
    }

    static String podsTable(ClusterView view, Instant now) { return podsTable(view, now, false, null); }

    /** kubectl's pod columns plus MESSAGE (why a pod waits); wide adds IP and IMAGE. */
    static String podsTable(ClusterView view, Instant now, boolean wide, String only) {
        Table t = wide ? new Table("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "IMAGE", "MESSAGE")
                : new Table("NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE", "MESSAGE");
        for (ClusterView.PodRow p : view.pods()) {
            if (only != null && !only.equals(p.name)) continue;
            String node = p.node == null ? "<none>" : p.node;
            String message = p.message == null ? "" : p.message;
            if (wide) {
                t.row(p.name, p.isReady() ? "1/1" : "0/1", p.status(), Integer.toString(p.restarts), age(p.created, now),
                        p.podIP == null ? "<none>" : p.podIP, node,
                        p.template == null ? "<unknown>" : p.template.image(), message);
            } else {
                t.row(p.name, p.isReady() ? "1/1" : "0/1", p.status(), Integer.toString(p.restarts), age(p.created, now), node, message);
            }
        }
        return t.render();
    }

    /** PODS counts the pods bound to the node (Terminating ones too), as the log tells it. */
    static String nodesTable(ClusterView view, Instant now) { return nodesTable(view, now, null); }

    static String nodesTable(ClusterView view, Instant now, String only) { return nodesTable(view, now, false, only); }

    /** wide adds the node's pod CIDR. */
    static String nodesTable(ClusterView view, Instant now, boolean wide, String only) {
        Table t = wide ? new Table("NAME", "STATUS", "PODS", "CPU", "MEMORY", "AGE", "POD-CIDR")
                : new Table("NAME", "STATUS", "PODS", "CPU", "MEMORY", "AGE");
        for (ClusterView.NodeRow n : view.nodes()) {
            if (only != null && !only.equals(n.name)) continue;
            String pods = Integer.toString(view.podsOn(n.name).size());
            String cpu = n.capacity == null ? "<unknown>" : Quantities.formatCpu(n.capacity.cpuMillis());
            String memory = n.capacity == null ? "<unknown>" : Quantities.formatMemory(n.capacity.memoryBytes());
            if (wide) t.row(n.name, n.status(now), pods, cpu, memory, age(n.startedAt, now), n.podCIDR == null ? "<none>" : n.podCIDR);
            else t.row(n.name, n.status(now), pods, cpu, memory, age(n.startedAt, now));
        }
        return t.render();
    }

    static String deploymentsTable(ClusterView view, Instant now) { return deploymentsTable(view, now, false, null); }

    static String deploymentsTable(ClusterView view, Instant now, boolean wide, String only) {
        Table t = wide ? new Table("NAME", "READY", "IMAGE", "CPU", "MEMORY", "AGE", "CONTAINERS", "SELECTOR")
                : new Table("NAME", "READY", "IMAGE", "CPU", "MEMORY", "AGE");
        for (ClusterView.DeploymentRow d : view.deployments()) {
            if (only != null && !only.equals(d.spec.name())) continue;
            String ready = view.readyPods(d.spec.name()) + "/" + d.spec.replicas();
            String cpu = Quantities.formatCpu(d.spec.template().resources().cpuMillis());
            String memory = Quantities.formatMemory(d.spec.template().resources().memoryBytes());
            if (wide) t.row(d.spec.name(), ready, d.spec.template().image(), cpu, memory, age(d.created, now), d.spec.name(), "app=" + d.spec.name());
            else t.row(d.spec.name(), ready, d.spec.template().image(), cpu, memory, age(d.created, now));
        }
        return t.render();
    }

    static String podsJson(ClusterView view) { return KubeObjects.json(KubeObjects.pods(view, null)); }

    static String nodesJson(ClusterView view, Instant now) { return KubeObjects.json(KubeObjects.nodes(view, now, null)); }

    static String deploymentsJson(ClusterView view) { return KubeObjects.json(KubeObjects.deployments(view, null)); }

    static String age(Instant since, Instant now) {
        if (since == null) return "<unknown>";
        Duration d = Duration.between(since, now);
        if (d.toSeconds() < 120) return Math.max(0, d.toSeconds()) + "s";
        if (d.toMinutes() < 120) return d.toMinutes() + "m";
        if (d.toHours() < 48) return d.toHours() + "h";
        return d.toDays() + "d";
    }
}
