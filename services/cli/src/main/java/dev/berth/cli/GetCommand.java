package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Namespaces;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Selector;
import dev.berth.bus.labels.LabelSelector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Show pods, nodes, deployments, jobs, namespaces, services, endpoints, hpa (HorizontalPodAutoscalers), configmaps or secrets, folded from the event log:"
        + " berth get KIND [NAME] [-n NS | -A] [-l SELECTOR] [--show-labels] [-o table|wide|json|yaml|name] [-w].")
final class GetCommand implements Callable<Integer> {
    enum Kind { pods, pod, po, nodes, node, no, deployments, deployment, deploy, namespaces, namespace, ns,
        services, service, svc, endpoints, ep, hpa, horizontalpodautoscalers, horizontalpodautoscaler, configmaps, configmap, cm,
        secrets, secret, jobs, job }

    /** The default for callers that name no namespace: default, as kubectl without -n. */
    static final NamespaceOptions DEFAULT_NAMESPACE = NamespaceOptions.of(null, false);

    /** kubectl's printers; a value not here is an error, as in kubectl. */
    enum Output { table, wide, json, yaml, name }

    @Mixin ClusterOptions cluster;
    @Mixin HistoryOptions history;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", description = "pods | nodes | deployments | jobs | namespaces | services | endpoints | hpa | configmaps | secrets")
    Kind kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "only this object")
    String name;

    @Option(names = {"-o", "--output"}, description = "table (default), wide, json, yaml or name")
    String output = "table";

    @Option(names = {"-w", "--watch"}, description = "after listing, follow the log and print each object again when it changes")
    boolean watch;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
            description = "only objects whose labels match, kubectl's syntax: key=value, key!=value, 'key in (a,b)', 'key notin (a,b)', key, !key; comma-separated requirements all hold")
    String selector;

    @Option(names = "--show-labels", description = "add a LABELS column with each object's labels")
    boolean showLabels;

    static final List<Topic> VIEW_TOPICS = List.of(Topic.DEPLOYMENTS, Topic.PODS, Topic.NODES, Topic.PLACEMENTS,
            Topic.SCHEDULING, Topic.POD_STATUS, Topic.NODE_HEARTBEATS, Topic.SERVICES, Topic.ENDPOINTS, Topic.AUTOSCALERS,
            Topic.AUTOSCALER_STATUS, Topic.CONFIG_MAPS, Topic.SECRETS, Topic.JOBS);

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
        Selection selection;
        try {
            selection = Selection.of(name, selector);
        } catch (LabelSelector.InvalidSelector e) {
            System.err.println("error: invalid selector \"" + selector + "\": " + e.getMessage());
            return 1;
        }
        if (name != null && !selection.labels().isEmpty()) {
            System.err.println("error: name cannot be provided when a selector is specified");
            return 1;
        }
        Instant now = at == null ? Instant.now() : Times.parse(at, Instant.now());
        ClusterView view = loadAt(history.source(cluster, heartbeatsSince(now), at == null ? null : now), now);
        String kindName = kindName(kind);
        if (name != null && !exists(view, kind, name, namespaces)) {
            System.err.println("Error from server (NotFound): " + kindName + " \"" + name + "\" not found");
            return 1;
        }
        System.out.print(render(view, kind, format, selection, showLabels, now, true, namespaces));
        if (watch && at == null && !history.fromFile()) new GetWatch(cluster.bus(), VIEW_TOPICS).follow(view, e -> {
            String changed = GetWatch.subject(kind, e.data(), view);
            if (changed == null) return;
            // Deployments come back as their key (namespace/name): the name is shown in its namespace.
            String changedName = Namespaces.nameOf(changed);
            if ((isDeployment(kind) || isService(kind) || isAutoscaler(kind) || isConfig(kind) || isJob(kind)) && !namespaces.shows(Namespaces.namespaceOf(changed))) return;
            if ((name != null && !name.equals(changedName)) || !exists(view, kind, changedName, namespaces)) return;
            if (!selection.labels().matches(labelsOf(view, kind, changed))) return;
            System.out.print(render(view, kind, format, new Selection(changedName, selection.labels()), showLabels, Instant.now(), false, namespaces));
            System.out.flush();
        });
        return 0;
    }

    static boolean isService(Kind kind) {
        return switch (kind) { case services, service, svc, endpoints, ep -> true; default -> false; };
    }

    static boolean isAutoscaler(Kind kind) {
        return kind == Kind.hpa || kind == Kind.horizontalpodautoscalers || kind == Kind.horizontalpodautoscaler;
    }

    static boolean isConfig(Kind kind) {
        return switch (kind) { case configmaps, configmap, cm, secrets, secret -> true; default -> false; };
    }

    static boolean isJob(Kind kind) { return kind == Kind.jobs || kind == Kind.job; }

    private static boolean isDeployment(Kind kind) { return kind == Kind.deployments || kind == Kind.deployment || kind == Kind.deploy; }



    static Output output(String value) {
        if (value == null || value.isEmpty()) return Output.table;
        for (Output o : Output.values()) if (o.name().equals(value)) return o;
        return null;
    }

    static String kindName(Kind kind) {
        return switch (kind) {
            case pods, pod, po -> "pods";
            case nodes, node, no -> "nodes";
            case namespaces, namespace, ns -> "namespaces";
            case services, service, svc -> "services";
            case endpoints, ep -> "endpoints";
            case hpa, horizontalpodautoscalers, horizontalpodautoscaler -> "horizontalpodautoscalers.autoscaling";
            case configmaps, configmap, cm -> "configmaps";
            case secrets, secret -> "secrets";
            case jobs, job -> "jobs.batch";
            default -> "deployments.apps";
        };
    }

    static boolean exists(ClusterView view, Kind kind, String name) { return exists(view, kind, name, DEFAULT_NAMESPACE); }

    /** A pod or deployment name resolves within -n (any namespace with -A); nodes and namespaces are cluster-wide. */
    static boolean exists(ClusterView view, Kind kind, String name, NamespaceOptions ns) {
        return switch (kind) {
            case pods, pod, po -> view.pods().stream().anyMatch(p -> p.name.equals(name) && ns.shows(p.namespace));
            case nodes, node, no -> view.nodes().stream().anyMatch(n -> n.name.equals(name));
            case namespaces, namespace, ns -> view.namespace(name) != null;
            case services, service, svc, endpoints, ep -> view.services().stream().anyMatch(v -> v.spec.name().equals(name) && ns.shows(v.namespace()));
            case hpa, horizontalpodautoscalers, horizontalpodautoscaler ->
                    view.autoscalers().stream().anyMatch(a -> a.spec.name().equals(name) && ns.shows(a.namespace()));
            case configmaps, configmap, cm -> view.configMaps().stream().anyMatch(r -> r.spec().name().equals(name) && ns.shows(r.spec().namespace()));
            case secrets, secret -> view.secrets().stream().anyMatch(r -> r.spec().name().equals(name) && ns.shows(r.spec().namespace()));
            case jobs, job -> view.jobs().stream().anyMatch(j -> j.spec.name().equals(name) && ns.shows(j.namespace()));
            default -> view.deployments().stream().anyMatch(d -> d.spec.name().equals(name) && ns.shows(d.namespace()));
        };
    }

    static String render(ClusterView view, Kind kind, Output format, String only, Instant now, boolean header) {
        return render(view, kind, format, Selection.named(only), false, now, header, DEFAULT_NAMESPACE);
    }

    static String render(ClusterView view, Kind kind, Output format, String only, Instant now, boolean header, NamespaceOptions ns) {
        return render(view, kind, format, Selection.named(only), false, now, header, ns);
    }

    /**
     * The objects {@code selection} picks of the namespaces {@code ns} shows, in {@code format}; {@code showLabels} adds
     * kubectl's LABELS column to a table; {@code header} false prints rows alone (watch).
     */
    static String render(ClusterView view, Kind kind, Output format, Selection selection, boolean showLabels, Instant now, boolean header,
                         NamespaceOptions ns) {
        return switch (kind) {
            case pods, pod, po -> switch (format) {
                case json -> KubeObjects.json(KubeObjects.pods(view, selection, ns));
                case yaml -> KubeObjects.yaml(KubeObjects.pods(view, selection, ns));
                case name -> names("pod/", view.pods().stream().filter(p -> ns.shows(p.namespace) && selection.test(p.name, p.labels())).map(p -> p.name));
                default -> rows(podsTable(view, now, format == Output.wide, selection, showLabels, ns), header);
            };
            case namespaces, namespace, ns -> switch (format) {
                case json -> KubeObjects.json(KubeObjects.namespaces(view, selection.name()));
                case yaml -> KubeObjects.yaml(KubeObjects.namespaces(view, selection.name()));
                case name -> names("namespace/", view.namespaces().stream().map(n -> n.name).filter(n -> selection.name() == null || selection.name().equals(n)));
                default -> rows(namespacesTable(view, now, selection.name()), header);
            };
            case nodes, node, no -> switch (format) {
                case json -> KubeObjects.json(KubeObjects.nodes(view, now, selection));
                case yaml -> KubeObjects.yaml(KubeObjects.nodes(view, now, selection));
                case name -> names("node/", view.nodes().stream().filter(n -> selection.test(n.name, n.labels)).map(n -> n.name));
                default -> rows(nodesTable(view, now, format == Output.wide, selection, showLabels), header);
            };
            case services, service, svc -> switch (format) {
                case json -> KubeObjects.json(KubeObjects.services(view, selection, ns));
                case yaml -> KubeObjects.yaml(KubeObjects.services(view, selection, ns));
                case name -> names("service/", view.services().stream()
                        .filter(v -> ns.shows(v.namespace()) && selection.test(v.spec.name(), v.spec.labels())).map(v -> v.spec.name()));
                default -> rows(ServiceTables.services(view, now, format == Output.wide, selection, showLabels, ns), header);
            };
            case endpoints, ep -> switch (format) {
                case json -> KubeObjects.json(KubeObjects.endpoints(view, selection, ns));
                case yaml -> KubeObjects.yaml(KubeObjects.endpoints(view, selection, ns));
                case name -> names("endpoints/", view.services().stream()
                        .filter(v -> ns.shows(v.namespace()) && selection.test(v.spec.name(), v.spec.labels())).map(v -> v.spec.name()));
                default -> rows(ServiceTables.endpoints(view, now, selection, showLabels, ns), header);
            };
            case hpa, horizontalpodautoscalers, horizontalpodautoscaler -> switch (format) {
                case json -> KubeObjects.json(AutoscalerTables.objects(view, selection, ns));
                case yaml -> KubeObjects.yaml(AutoscalerTables.objects(view, selection, ns));
                case name -> names("horizontalpodautoscaler.autoscaling/", view.autoscalers().stream()
                        .filter(a -> ns.shows(a.namespace()) && selection.test(a.spec.name(), Map.of())).map(a -> a.spec.name()));
                default -> rows(AutoscalerTables.table(view, now, format == Output.wide, selection, ns), header);
            };
            case configmaps, configmap, cm -> switch (format) {
                case json -> KubeObjects.json(ConfigTables.configMapObjects(view, selection, ns));
                case yaml -> KubeObjects.yaml(ConfigTables.configMapObjects(view, selection, ns));
                case name -> names("configmap/", view.configMaps().stream()
                        .filter(r -> ns.shows(r.spec().namespace()) && selection.test(r.spec().name(), r.spec().labels())).map(r -> r.spec().name()));
                default -> rows(ConfigTables.configMaps(view, now, selection, showLabels, ns), header);
            };
            case secrets, secret -> switch (format) {
                case json -> KubeObjects.json(ConfigTables.secretObjects(view, selection, ns));
                case yaml -> KubeObjects.yaml(ConfigTables.secretObjects(view, selection, ns));
                case name -> names("secret/", view.secrets().stream()
                        .filter(r -> ns.shows(r.spec().namespace()) && selection.test(r.spec().name(), r.spec().labels())).map(r -> r.spec().name()));
                default -> rows(ConfigTables.secrets(view, now, selection, showLabels, ns), header);
            };
            case jobs, job -> switch (format) {
                case json -> KubeObjects.json(JobTables.objects(view, selection, ns));
                case yaml -> KubeObjects.yaml(JobTables.objects(view, selection, ns));
                case name -> names("job.batch/", view.jobs().stream()
                        .filter(j -> ns.shows(j.namespace()) && selection.test(j.spec.name(), j.spec.labels())).map(j -> j.spec.name()));
                default -> rows(JobTables.table(view, now, format == Output.wide, selection, showLabels, ns), header);
            };
            default -> switch (format) {
                case json -> KubeObjects.json(KubeObjects.deployments(view, selection, ns));
                case yaml -> KubeObjects.yaml(KubeObjects.deployments(view, selection, ns));
                case name -> names("deployment.apps/", view.deployments().stream()
                        .filter(d -> ns.shows(d.namespace()) && selection.test(d.spec.name(), d.spec.labels())).map(d -> d.spec.name()));
                default -> rows(deploymentsTable(view, now, format == Output.wide, selection, showLabels, ns), header);
            };
        };
    }

    /** The labels of the object of {@code kind} named {@code name}; none when the view does not know it. */
    static Map<String, String> labelsOf(ClusterView view, Kind kind, String name) {
        return switch (kind) {
            case pods, pod, po -> view.pods().stream().filter(p -> p.name.equals(name)).findFirst().map(ClusterView.PodRow::labels).orElse(Map.of());
            case nodes, node, no -> view.nodes().stream().filter(n -> n.name.equals(name)).findFirst().map(n -> n.labels).orElse(Map.of());
            case services, service, svc, endpoints, ep -> view.services().stream().filter(v -> v.spec.key().equals(name)).findFirst()
                    .map(v -> v.spec.labels()).orElse(Map.of());
            case hpa, horizontalpodautoscalers, horizontalpodautoscaler -> Map.of();
            case configmaps, configmap, cm -> view.configMaps().stream().filter(r -> r.spec().key().equals(name)).findFirst()
                    .map(r -> r.spec().labels()).orElse(Map.of());
            case secrets, secret -> view.secrets().stream().filter(r -> r.spec().key().equals(name)).findFirst()
                    .map(r -> r.spec().labels()).orElse(Map.of());
            case jobs, job -> view.jobs().stream().filter(j -> j.spec.key().equals(name)).findFirst().map(j -> j.spec.labels()).orElse(Map.of());
            default -> view.deployment(name) == null ? Map.of() : view.deployment(name).spec.labels();
        };
    }

    private static String names(String prefix, java.util.stream.Stream<String> names) {
        StringBuilder out = new StringBuilder();
        names.forEach(n -> out.append(prefix).append(n).append(System.lineSeparator()));
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
        for (LogSource.Entry e : source.entriesWithTombstones(VIEW_TOPICS)) {
            if (e.envelope() == null) {
                if (!Instant.ofEpochMilli(e.record().timestamp()).isAfter(at)) view.tombstone(e.record().topic(), e.record().key());
                continue;
            }
            if (e.envelope().time().isAfter(at)) continue;
            view.apply(e.envelope());
        }
        return view;
    }

    /** Only the heartbeats of the minute before {@code at} tell whether a node was alive then. */
    static java.util.function.Function<Topic, Instant> heartbeatsSince(Instant at) {
        return t -> t == Topic.NODE_HEARTBEATS ? at.minus(Duration.ofMinutes(1)) : null;
    }

    /** The app containers' images, in order, as kubectl's wide IMAGES column lists them. */
    static String images(dev.berth.bus.contract.PodTemplate t) {
        return String.join(",", t.containers().stream().map(dev.berth.bus.contract.Container::image).toList());
    }

    static String podsTable(ClusterView view, Instant now) { return podsTable(view, now, false, Selection.ALL, false, DEFAULT_NAMESPACE); }

    /** kubectl's pod columns plus MESSAGE (why a pod waits); wide adds IP and IMAGE; -A puts NAMESPACE first, {@code showLabels} LABELS last. */
    static String podsTable(ClusterView view, Instant now, boolean wide, Selection selection, boolean showLabels, NamespaceOptions ns) {
        Table t = new Table(columns(ns, showLabels, wide ? new String[] {"NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "IMAGE", "MESSAGE"}
                : new String[] {"NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE", "MESSAGE"}));
        for (ClusterView.PodRow p : view.pods()) {
            if (!ns.shows(p.namespace) || !selection.test(p.name, p.labels())) continue;
            String node = p.node == null ? "<none>" : p.node;
            String message = p.message == null ? "" : p.message;
            if (wide) {
                t.row(cells(ns, p.namespace, showLabels, p.labels(), p.name, p.readyColumn(), p.status(), Integer.toString(p.restarts), age(p.created, now),
                        p.podIP == null ? "<none>" : p.podIP, node, p.template == null ? "<unknown>" : images(p.template), message));
            } else {
                t.row(cells(ns, p.namespace, showLabels, p.labels(), p.name, p.readyColumn(), p.status(), Integer.toString(p.restarts), age(p.created, now),
                        node, message));
            }
        }
        return t.render();
    }

    /** kubectl's extra columns: with -A, NAMESPACE first; with --show-labels, LABELS last. */
    static String[] columns(NamespaceOptions ns, boolean showLabels, String... headers) {
        List<String> out = new ArrayList<>();
        if (ns.all) out.add("NAMESPACE");
        out.addAll(List.of(headers));
        if (showLabels) out.add("LABELS");
        return out.toArray(String[]::new);
    }

    /** A row's cells: after its namespace with -A, before its labels with --show-labels. */
    static String[] cells(NamespaceOptions ns, String namespace, boolean showLabels, Map<String, String> labels, String... cells) {
        List<String> out = new ArrayList<>();
        if (ns.all) out.add(namespace);
        out.addAll(List.of(cells));
        if (showLabels) out.add(Selection.column(labels));
        return out.toArray(String[]::new);
    }

    /** kubectl's namespace columns: NAME STATUS AGE. */
    static String namespacesTable(ClusterView view, Instant now, String only) {
        Table t = new Table("NAME", "STATUS", "AGE");
        for (ClusterView.NamespaceRow n : view.namespaces()) {
            if (only != null && !only.equals(n.name)) continue;
            t.row(n.name, n.status(), age(n.created, now));
        }
        return t.render();
    }

    /** PODS counts the pods bound to the node (Terminating ones too), as the log tells it. */
    static String nodesTable(ClusterView view, Instant now) { return nodesTable(view, now, false, Selection.ALL, false); }

    /** wide adds the node's pod CIDR; {@code showLabels} LABELS. */
    static String nodesTable(ClusterView view, Instant now, boolean wide, Selection selection, boolean showLabels) {
        Table t = new Table(columns(DEFAULT_NAMESPACE, showLabels, wide ? new String[] {"NAME", "STATUS", "PODS", "CPU", "MEMORY", "AGE", "POD-CIDR"}
                : new String[] {"NAME", "STATUS", "PODS", "CPU", "MEMORY", "AGE"}));
        for (ClusterView.NodeRow n : view.nodes()) {
            if (!selection.test(n.name, n.labels)) continue;
            String pods = Integer.toString(view.podsOn(n.name).size());
            String cpu = n.capacity == null ? "<unknown>" : Quantities.formatCpu(n.capacity.cpuMillis());
            String memory = n.capacity == null ? "<unknown>" : Quantities.formatMemory(n.capacity.memoryBytes());
            if (wide) t.row(cells(DEFAULT_NAMESPACE, null, showLabels, n.labels, n.name, n.status(now), pods, cpu, memory, age(n.startedAt, now), n.podCIDR == null ? "<none>" : n.podCIDR));
            else t.row(cells(DEFAULT_NAMESPACE, null, showLabels, n.labels, n.name, n.status(now), pods, cpu, memory, age(n.startedAt, now)));
        }
        return t.render();
    }

    static String deploymentsTable(ClusterView view, Instant now) {
        return deploymentsTable(view, now, false, Selection.ALL, false, DEFAULT_NAMESPACE);
    }

    /**
     * kubectl's columns (NAME READY UP-TO-DATE AVAILABLE AGE; wide adds CONTAINERS IMAGES SELECTOR), the counts from the
     * controller's status; Berth adds its pods' IMAGE and CPU/MEMORY requests after them (wide: before CONTAINERS).
     */
    static String deploymentsTable(ClusterView view, Instant now, boolean wide, Selection selection, boolean showLabels, NamespaceOptions ns) {
        Table t = new Table(columns(ns, showLabels, wide
                ? new String[] {"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CPU", "MEMORY", "CONTAINERS", "IMAGES", "SELECTOR"}
                : new String[] {"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "IMAGE", "CPU", "MEMORY"}));
        for (ClusterView.DeploymentRow d : view.deployments()) {
            if (!ns.shows(d.namespace()) || !selection.test(d.spec.name(), d.spec.labels())) continue;
            ClusterView.Counts c = view.counts(d);
            String ready = c.ready() + "/" + d.spec.replicas();
            String cpu = ResourceText.cpuRequest(d.spec.template().resources());
            String memory = ResourceText.memoryRequest(d.spec.template().resources());
            if (wide) {
                t.row(cells(ns, d.namespace(), showLabels, d.spec.labels(), d.spec.name(), ready, Integer.toString(c.updated()),
                        Integer.toString(c.available()), age(d.created, now), cpu, memory, d.spec.name(), d.spec.template().image(),
                        selectorColumn(d.spec.effectiveSelector())));
            } else {
                t.row(cells(ns, d.namespace(), showLabels, d.spec.labels(), d.spec.name(), ready, Integer.toString(c.updated()),
                        Integer.toString(c.available()), age(d.created, now), d.spec.template().image(), cpu, memory));
            }
        }
        return t.render();
    }

    /** kubectl's SELECTOR column: the selector in {@code -l} syntax, {@code <none>} when it has no requirements. */
    static String selectorColumn(Selector s) {
        try {
            String text = s.toLabelSelector().toString();
            return text.isEmpty() ? "<none>" : text;
        } catch (LabelSelector.InvalidSelector e) {
            return "<invalid>";
        }
    }

    static String podsJson(ClusterView view) { return KubeObjects.json(KubeObjects.pods(view, Selection.ALL)); }

    static String nodesJson(ClusterView view, Instant now) { return KubeObjects.json(KubeObjects.nodes(view, now, Selection.ALL)); }

    static String deploymentsJson(ClusterView view) { return KubeObjects.json(KubeObjects.deployments(view, Selection.ALL)); }

    static String age(Instant since, Instant now) {
        if (since == null) return "<unknown>";
        Duration d = Duration.between(since, now);
        if (d.toSeconds() < 120) return Math.max(0, d.toSeconds()) + "s";
        if (d.toMinutes() < 120) return d.toMinutes() + "m";
        if (d.toHours() < 48) return d.toHours() + "h";
        return d.toDays() + "d";
    }
}
