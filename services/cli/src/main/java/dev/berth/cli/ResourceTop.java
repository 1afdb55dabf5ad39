package dev.berth.cli;

import dev.berth.bus.contract.ContainerMetrics;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.PodMetrics;
import dev.berth.bus.contract.ResourceList;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code berth top}'s tables, pure: the latest NodeMetrics of each node (those older than {@link #STALE} left
 * out, as metrics-server forgets a node that stopped reporting) joined with the cluster view's pods and nodes.
 * Shapes are kubectl top's: CPU in millicores ({@code 250m}), memory in Mi ({@code 42Mi}), node percentages of
 * allocatable. Berth adds CPU%REQ and MEMORY%REQ for pods — usage as a percent of the pod's request, what a
 * HorizontalPodAutoscaler's Utilization target compares — only when some listed pod has such a request.
 */
final class ResourceTop {
    private ResourceTop() {}

    /** A sample older than this is not shown: 12 of the node agent's 5 s samples missed. */
    static final Duration STALE = Duration.ofMinutes(1);
    static final String NOT_AVAILABLE = "error: metrics not available yet";

    /** Each node's latest sample no older than {@link #STALE} at {@code now}, by node name. */
    static Map<String, NodeMetrics> latest(List<NodeMetrics> samples, Instant now) {
        Map<String, NodeMetrics> out = new TreeMap<>();
        for (NodeMetrics m : samples) {
            if (m.at() == null || Duration.between(m.at(), now).compareTo(STALE) > 0 || m.at().isAfter(now.plus(STALE))) continue;
            out.merge(m.node(), m, (a, b) -> b.at().isAfter(a.at()) ? b : a);
        }
        return out;
    }

    /** kubectl's units: millicores always, memory in whole Mi (rounded down, as kubectl top prints it). */
    static String cpu(long millicores) { return millicores + "m"; }

    static String memory(long bytes) { return (bytes >> 20) + "Mi"; }

    static String percent(long used, long of) { return of <= 0 ? "<none>" : (used * 100 / of) + "%"; }

    /** {@code berth top nodes}: every node with a fresh sample; null when there is none (kubectl's "not available yet"). */
    static String nodes(ClusterView view, Map<String, NodeMetrics> latest) {
        if (latest.isEmpty()) return null;
        Map<String, ClusterView.NodeRow> rows = new TreeMap<>();
        for (ClusterView.NodeRow n : view.nodes()) rows.put(n.name, n);
        Table t = new Table("NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%");
        for (NodeMetrics m : latest.values()) {
            ClusterView.NodeRow n = rows.get(m.node());
            var alloc = n == null ? null : n.allocatable != null ? n.allocatable : n.capacity;
            t.row(m.node(), cpu(m.cpuMillicores()), alloc == null ? "<unknown>" : percent(m.cpuMillicores(), alloc.cpuMillis()),
                    memory(m.memoryWorkingSetBytes()), alloc == null ? "<unknown>" : percent(m.memoryWorkingSetBytes(), alloc.memoryBytes()));
        }
        return t.render();
    }

    private record Row(ClusterView.PodRow pod, PodMetrics metrics) {}

    /**
     * {@code berth top pods}: the listed pods (namespace, selector) that have a sample, by namespace and name;
     * {@code containers} gives one line per container, as kubectl's --containers. Null when no node has a
     * fresh sample at all.
     */
    static String pods(ClusterView view, Map<String, NodeMetrics> latest, NamespaceOptions ns, Selection selection, boolean containers) {
        if (latest.isEmpty()) return null;
        Map<String, PodMetrics> byPod = new TreeMap<>();
        for (NodeMetrics m : latest.values()) for (PodMetrics p : m.pods()) byPod.put(p.namespace() + "/" + p.pod(), p);
        List<Row> rows = new ArrayList<>();
        for (ClusterView.PodRow p : view.pods()) {
            if (!ns.shows(p.namespace) || !selection.test(p.name, p.labels())) continue;
            PodMetrics m = byPod.get(p.namespace + "/" + p.name);
            if (m != null) rows.add(new Row(p, m));
        }
        rows.sort(Comparator.comparing((Row r) -> r.pod().namespace).thenComparing(r -> r.pod().name));
        boolean cpuReq = rows.stream().anyMatch(r -> requests(r.pod()).cpuMillis() != null && requests(r.pod()).cpuMillis() > 0);
        boolean memReq = rows.stream().anyMatch(r -> requests(r.pod()).memoryBytes() != null && requests(r.pod()).memoryBytes() > 0);
        List<String> headers = new ArrayList<>();
        if (ns.all) headers.add("NAMESPACE");
        headers.addAll(containers ? List.of("POD", "NAME") : List.of("NAME"));
        headers.addAll(List.of("CPU(cores)", "MEMORY(bytes)"));
        if (cpuReq && !containers) headers.add("CPU%REQ");
        if (memReq && !containers) headers.add("MEMORY%REQ");
        Table t = new Table(headers.toArray(String[]::new));
        for (Row r : rows) {
            if (containers) {
                for (ContainerMetrics c : r.metrics().containers()) {
                    List<String> cells = new ArrayList<>();
                    if (ns.all) cells.add(r.pod().namespace);
                    cells.addAll(List.of(r.pod().name, c.name(), cpu(c.cpuMillicores()), memory(c.memoryWorkingSetBytes())));
                    t.row(cells.toArray(String[]::new));
                }
                continue;
            }
            List<String> cells = new ArrayList<>();
            if (ns.all) cells.add(r.pod().namespace);
            cells.addAll(List.of(r.pod().name, cpu(r.metrics().cpuMillicores()), memory(r.metrics().memoryWorkingSetBytes())));
            ResourceList req = requests(r.pod());
            if (cpuReq) cells.add(percent(r.metrics().cpuMillicores(), req.cpuMillis() == null ? 0 : req.cpuMillis()));
            if (memReq) cells.add(percent(r.metrics().memoryWorkingSetBytes(), req.memoryBytes() == null ? 0 : req.memoryBytes()));
            t.row(cells.toArray(String[]::new));
        }
        if (rows.isEmpty()) return "No resources found" + (ns.all ? "" : " in " + ns.namespace() + " namespace") + ".\n";
        return t.render();
    }

    /** The pod's requests as the scheduler counts them (a limit alone stands for the request, as in Kubernetes). */
    private static ResourceList requests(ClusterView.PodRow p) {
        return p.template == null ? ResourceList.NONE : p.template.resources().effectiveRequests();
    }
}
