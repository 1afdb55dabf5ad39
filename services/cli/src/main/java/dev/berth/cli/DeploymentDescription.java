package dev.berth.cli;

import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.DeploymentCondition;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code berth describe deployment/NAME}: kubectl's fields (replica counts, StrategyType, MinReadySeconds,
 * RollingUpdateStrategy, the pod template, Conditions, Events). Berth has no ReplicaSets: where kubectl names the old
 * and new ReplicaSet, Berth names the current revision and how many of its pods there are.
 */
final class DeploymentDescription {
    private DeploymentDescription() {}

    /** The annotation Kubernetes keeps a deployment's current revision in. */
    static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

    /** The description, or null when the view holds no such deployment. */
    static String describe(ClusterView view, String namespace, String name, Instant now) {
        ClusterView.DeploymentRow d = view.deployment(namespace, name);
        if (d == null) return null;
        DeploymentSpec s = d.spec;
        ClusterView.Counts c = view.counts(d);
        Map<String, String> annotations = new TreeMap<>(s.annotations());
        if (d.revision > 0) annotations.put(REVISION_ANNOTATION, Long.toString(d.revision));
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Name:", s.name()});
        fields.add(new String[] {"Namespace:", s.namespace()});
        fields.add(new String[] {"CreationTimestamp:", d.created == null ? "<unknown>" : d.created.toString()});
        fields.add(new String[] {"Labels:", Selection.column(s.labels())});
        fields.add(new String[] {"Annotations:", annotations(annotations)});
        fields.add(new String[] {"Selector:", GetCommand.selectorColumn(s.effectiveSelector())});
        fields.add(new String[] {"Replicas:", s.replicas() + " desired | " + c.updated() + " updated | " + c.replicas() + " total | "
                + c.available() + " available | " + c.unavailable() + " unavailable"});
        DeploymentStrategy strategy = s.rollout().strategy();
        fields.add(new String[] {"StrategyType:", strategy.type()});
        fields.add(new String[] {"MinReadySeconds:", Integer.toString(s.rollout().minReadySeconds())});
        if (!strategy.recreates()) fields.add(new String[] {"RollingUpdateStrategy:", rollingUpdate(strategy)});
        if (s.rollout().paused()) fields.add(new String[] {"Paused:", "true"});
        int width = "RollingUpdateStrategy:".length() + 2; // kubectl's column, Recreate or not
        StringBuilder out = new StringBuilder();
        for (String[] f : fields) {
            out.append(f[0]).append(" ".repeat(width - f[0].length())).append(f[1].replace("\n", "\n" + " ".repeat(width))).append('\n');
        }
        out.append("Pod Template:\n").append(podTemplate(s.name(), s.template()));
        if (c.conditions().isEmpty()) {
            out.append("Conditions:").append(" ".repeat(width - "Conditions:".length())).append("<none>\n");
        } else {
            out.append("Conditions:\n");
            Table t = new Table("Type", "Status", "Reason");
            t.row("----", "------", "------");
            for (DeploymentCondition k : c.conditions()) t.row(k.type(), k.status(), k.reason() == null ? "<none>" : k.reason());
            indent(out, t.render());
        }
        String revision = d.revision > 0 ? d.revision + " (" + c.updated() + "/" + s.replicas() + " replicas updated)" : "<unknown>";
        out.append("Revision:").append(" ".repeat(width - "Revision:".length())).append(revision).append('\n');
        if (d.events.isEmpty()) {
            out.append("Events:").append(" ".repeat(width - "Events:".length())).append("<none>\n");
        } else {
            out.append("Events:\n");
            Table t = new Table("Type", "Reason", "Age", "From", "Message");
            t.row("----", "------", "----", "----", "-------");
            for (ClusterView.DeploymentEventRow e : d.events) t.row(e.type(), e.reason(), GetCommand.age(e.at(), now), "deployment-controller", e.message());
            indent(out, t.render());
        }
        return out.toString();
    }

    /** kubectl's "25% max unavailable, 25% max surge". */
    static String rollingUpdate(DeploymentStrategy s) { return s.maxUnavailable() + " max unavailable, " + s.maxSurge() + " max surge"; }

    /** kubectl's Pod Template block (also {@code rollout history --revision}): labels, annotations, the container. */
    static String podTemplate(String container, PodTemplate t) {
        StringBuilder out = new StringBuilder();
        out.append("  Labels:       ").append(t.labels().isEmpty() ? "<none>" : String.join("\n                ",
                new TreeMap<>(t.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())).append('\n');
        out.append("  Annotations:  ").append(annotations(t.annotations()).replace("\n", "\n                ")).append('\n');
        out.append("  Containers:\n   ").append(container).append(":\n");
        field(out, "Image", t.image());
        field(out, "Port", t.ports().isEmpty() ? "<none>"
                : t.ports().stream().map(p -> p.containerPort() + "/" + p.protocol()).collect(Collectors.joining(", ")));
        List<ContainerPort> hostPorts = t.ports().stream().filter(p -> p.hostPort() > 0).toList();
        if (!hostPorts.isEmpty()) field(out, "Host Port", hostPorts.stream().map(p -> p.hostPort() + "/" + p.protocol()).collect(Collectors.joining(", ")));
        if (!t.command().isEmpty()) field(out, "Command", String.join(" ", t.command()));
        if (!t.args().isEmpty()) field(out, "Args", String.join(" ", t.args()));
        String limits = ResourceText.list(t.resources().limits()), requests = ResourceText.list(t.resources().effectiveRequests());
        if (!limits.isEmpty()) field(out, "Limits", limits);
        if (!requests.isEmpty()) field(out, "Requests", requests);
        if (t.livenessProbe() != null) field(out, "Liveness", PodDescription.readiness(t.livenessProbe()));
        if (t.readinessProbe() != null) field(out, "Readiness", PodDescription.readiness(t.readinessProbe()));
        if (t.startupProbe() != null) field(out, "Startup", PodDescription.readiness(t.startupProbe()));
        field(out, "Environment", t.env().isEmpty() ? "<none>" : new TreeMap<>(t.env()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        String label = "    " + name + ":";
        out.append(label).append(" ".repeat(Math.max(1, 18 - label.length()))).append(value).append('\n');
    }

    /** kubectl prints annotations one per line, {@code key: value}; {@code <none>} when there are none. */
    private static String annotations(Map<String, String> a) {
        if (a.isEmpty()) return "<none>";
        return new TreeMap<>(a).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"));
    }

    private static void indent(StringBuilder out, String table) {
        for (String line : table.split("\n")) if (!line.isEmpty()) out.append("  ").append(line).append('\n');
    }
}
