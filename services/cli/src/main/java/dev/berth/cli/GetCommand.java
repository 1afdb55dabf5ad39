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

@Command(name = "get", description = "Show pods, nodes or deployments, folded from the event log.")
final class GetCommand implements Callable<Integer> {
    enum Kind { pods, pod, po, nodes, node, no, deployments, deployment, deploy }

    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", description = "pods | nodes | deployments")
    Kind kind;

    @Option(names = {"-o", "--output"}, description = "table (default) or json")
    String output = "table";

    static final List<Topic> VIEW_TOPICS = List.of(Topic.DEPLOYMENTS, Topic.PODS, Topic.NODES, Topic.PLACEMENTS,
            Topic.SCHEDULING, Topic.POD_STATUS, Topic.NODE_HEARTBEATS);

    @Option(names = "--at", description = "show the cluster as it was at this time (ISO like 2026-11-27T10:00:00Z, or relative like -10m)")
    String at;

    @Mixin HistoryOptions history;

    @Override
    public Integer call() {
        Instant now = at == null ? Instant.now() : Times.parse(at, Instant.now());
        ClusterView view = loadAt(history.source(cluster, heartbeatsSince(now), at == null ? null : now), now);
        boolean json = "json".equals(output);
        switch (kind) {
            case pods, pod, po -> System.out.print(json ? podsJson(view) : podsTable(view, now));
            case nodes, node, no -> System.out.print(json ? nodesJson(view, now) : nodesTable(view, now));
            default -> System.out.print(json ? deploymentsJson(view) : deploymentsTable(view, now));
        }
        return 0;
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

    static String podsTable(ClusterView view, Instant now) {
        Table t = new Table("NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE", "MESSAGE");
        for (ClusterView.PodRow p : view.pods()) {
            t.row(p.name, p.isReady() ? "1/1" : "0/1", p.status(), Integer.toString(p.restarts), age(p.created, now),
                    p.node == null ? "<none>" : p.node, p.message == null ? "" : p.message);
        }
        return t.render();
    }

    /** PODS counts the pods bound to the node (Terminating ones too), as the log tells it. */
    static String nodesTable(ClusterView view, Instant now) {
        Table t = new Table("NAME", "STATUS", "PODS", "CPU", "MEMORY", "AGE");
        for (ClusterView.NodeRow n : view.nodes()) {
            t.row(n.name, n.status(now), Integer.toString(view.podsOn(n.name).size()),
                    n.capacity == null ? "<unknown>" : Quantities.formatCpu(n.capacity.cpuMillis()),
                    n.capacity == null ? "<unknown>" : Quantities.formatMemory(n.capacity.memoryBytes()),
                    age(n.startedAt, now));
        }
        return t.render();
    }

    static String deploymentsTable(ClusterView view, Instant now) {
        Table t = new Table("NAME", "READY", "IMAGE", "CPU", "MEMORY", "AGE");
        for (ClusterView.DeploymentRow d : view.deployments()) {
            t.row(d.spec.name(), view.readyPods(d.spec.name()) + "/" + d.spec.replicas(), d.spec.template().image(),
                    Quantities.formatCpu(d.spec.template().resources().cpuMillis()),
                    Quantities.formatMemory(d.spec.template().resources().memoryBytes()), age(d.created, now));
        }
        return t.render();
    }

    static String podsJson(ClusterView view) {
        ObjectNode list = list("PodList");
        ArrayNode items = list.withArray("items");
        for (ClusterView.PodRow p : view.pods()) {
            ObjectNode item = items.addObject();
            item.put("apiVersion", "v1").put("kind", "Pod");
            item.putObject("metadata").put("name", p.name).putObject("labels").put("app", p.deployment);
            ObjectNode spec = item.putObject("spec");
            if (p.node != null) spec.put("nodeName", p.node);
            ObjectNode status = item.putObject("status").put("phase", p.phase());
            if (p.message != null) status.put("message", p.message);
            ObjectNode container = status.putArray("containerStatuses").addObject()
                    .put("name", p.deployment).put("ready", p.isReady()).put("restartCount", p.restarts);
            if (p.exitCode != null) container.put("exitCode", p.exitCode);
            if (p.reason != null) container.put("reason", p.reason);
        }
        return pretty(list);
    }

    static String nodesJson(ClusterView view, Instant now) {
        ObjectNode list = list("NodeList");
        ArrayNode items = list.withArray("items");
        for (ClusterView.NodeRow n : view.nodes()) {
            ObjectNode item = items.addObject();
            item.put("apiVersion", "v1").put("kind", "Node");
            item.putObject("metadata").put("name", n.name);
            ObjectNode spec = item.putObject("spec");
            if (n.cordoned) spec.put("unschedulable", true);
            ObjectNode status = item.putObject("status");
            status.put("phase", n.status(now));
            ObjectNode ready = status.putArray("conditions").addObject().put("type", "Ready")
                    .put("status", "Ready".equals(n.readiness(now)) ? "True" : "False");
            if (n.statusReason != null) ready.put("message", n.statusReason);
            if (n.lastHeartbeat != null) ready.put("lastHeartbeatTime", n.lastHeartbeat.toString());
            if (n.capacity != null) status.set("capacity", resources(n.capacity));
            if (n.allocatable != null) status.set("allocatable", resources(n.allocatable));
            status.put("pods", view.podsOn(n.name).size());
        }
        return pretty(list);
    }

    static String deploymentsJson(ClusterView view) {
        ObjectNode list = list("DeploymentList");
        ArrayNode items = list.withArray("items");
        for (ClusterView.DeploymentRow d : view.deployments()) {
            ObjectNode item = items.addObject();
            item.put("apiVersion", "apps/v1").put("kind", "Deployment");
            item.putObject("metadata").put("name", d.spec.name()).put("generation", d.generation);
            item.putObject("spec").put("replicas", d.spec.replicas());
            long ready = view.readyPods(d.spec.name());
            item.putObject("status").put("replicas", d.spec.replicas()).put("readyReplicas", ready)
                    .put("phase", ready == d.spec.replicas() ? "Available" : "Progressing");
        }
        return pretty(list);
    }

    private static ObjectNode resources(NodeResources r) {
        return Json.object().put("cpu", Quantities.formatCpu(r.cpuMillis())).put("memory", Quantities.formatMemory(r.memoryBytes()))
                .put("pods", Integer.toString(r.pods()));
    }

    private static ObjectNode list(String kind) {
        ObjectNode list = Json.object();
        list.put("apiVersion", "v1").put("kind", kind);
        list.putArray("items");
        return list;
    }

    private static String pretty(ObjectNode node) {
        return node.toPrettyString() + System.lineSeparator();
    }

    static String age(Instant since, Instant now) {
        if (since == null) return "<unknown>";
        Duration d = Duration.between(since, now);
        if (d.toSeconds() < 120) return Math.max(0, d.toSeconds()) + "s";
        if (d.toMinutes() < 120) return d.toMinutes() + "m";
        if (d.toHours() < 48) return d.toHours() + "h";
        return d.toDays() + "d";
    }
}
