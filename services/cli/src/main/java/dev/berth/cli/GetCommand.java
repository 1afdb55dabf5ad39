package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
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

    static final List<Topic> VIEW_TOPICS = List.of(Topic.DEPLOYMENTS, Topic.PODS, Topic.PLACEMENTS, Topic.SCHEDULING,
            Topic.POD_STATUS, Topic.NODE_HEARTBEATS);

    @Override
    public Integer call() {
        Instant now = Instant.now();
        ClusterView view = load(cluster.bus(), now);
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
        ClusterView view = new ClusterView();
        List<Envelope> log = new ArrayList<>(LogReader.readEnvelopes(bus, VIEW_TOPICS,
                t -> t == Topic.NODE_HEARTBEATS ? now.minus(Duration.ofMinutes(1)) : null));
        // Each partition is in order; across topics and partitions, fold in time order.
        log.sort((a, b) -> a.time().compareTo(b.time()));
        log.forEach(view::apply);
        return view;
    }

    static String podsTable(ClusterView view, Instant now) {
        Table t = new Table("NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE", "MESSAGE");
        for (ClusterView.PodRow p : view.pods()) {
            String phase = p.phase();
            t.row(p.name, "Running".equals(phase) ? "1/1" : "0/1", phase, Integer.toString(p.restarts), age(p.created, now),
                    p.node == null ? "<none>" : p.node, p.message == null ? "" : p.message);
        }
        return t.render();
    }

    static String nodesTable(ClusterView view, Instant now) {
        Table t = new Table("NAME", "STATUS", "PODS", "CPU", "MEMORY", "AGE");
        for (ClusterView.NodeRow n : view.nodes()) {
            t.row(n.name, n.status(now), Integer.toString(n.pods),
                    Quantities.formatCpu(n.capacity.cpuMillis()), Quantities.formatMemory(n.capacity.memoryBytes()),
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
                    .put("name", p.deployment).put("ready", "Running".equals(p.phase())).put("restartCount", p.restarts);
            if (p.exitCode != null) container.put("exitCode", p.exitCode);
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
            item.putObject("spec");
            ObjectNode status = item.putObject("status");
            status.put("phase", n.status(now));
            status.putArray("conditions").addObject().put("type", "Ready").put("status", "Ready".equals(n.status(now)) ? "True" : "False");
            status.putObject("capacity").put("cpu", Quantities.formatCpu(n.capacity.cpuMillis()))
                    .put("memory", Quantities.formatMemory(n.capacity.memoryBytes())).put("pods", Integer.toString(n.capacity.pods()));
            status.putObject("allocatable").put("cpu", Quantities.formatCpu(n.allocatable.cpuMillis()))
                    .put("memory", Quantities.formatMemory(n.allocatable.memoryBytes())).put("pods", Integer.toString(n.allocatable.pods()));
            status.put("pods", n.pods);
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
