package dev.berth.cli;

import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.HpaCondition;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.MetricStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code berth describe hpa/NAME}: kubectl's fields (reference, metrics current / target, replica bounds, the
 * Deployment's pods, conditions) and Events made of what the log holds: the scales that carried the autoscaler's
 * reason, and its decisions as its status history tells them.
 */
final class AutoscalerDescription {
    private AutoscalerDescription() {}

    /** At most this many events, the latest. */
    static final int EVENTS = 10;

    record Event(Instant at, String type, String reason, String from, String message) {}

    /** The description, or null when the view holds no such autoscaler. */
    static String describe(ClusterView view, String namespace, String name, Instant now) {
        ClusterView.AutoscalerRow a = view.autoscaler(namespace, name);
        if (a == null) return null;
        HorizontalPodAutoscalerSpec s = a.spec;
        HorizontalPodAutoscalerStatus st = a.status;
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Name:", s.name()});
        fields.add(new String[] {"Namespace:", s.namespace()});
        fields.add(new String[] {"CreationTimestamp:", a.created == null ? "<unknown>" : a.created.toString()});
        fields.add(new String[] {"Reference:", AutoscalerTables.reference(s)});
        fields.add(new String[] {"Metrics:", "( current / target )"});
        for (MetricSpec m : s.metrics()) fields.add(new String[] {"  " + metricLabel(m) + ":", metricValue(m, AutoscalerTables.current(m, st))});
        fields.add(new String[] {"Min replicas:", Integer.toString(s.minReplicasOrDefault())});
        fields.add(new String[] {"Max replicas:", Integer.toString(s.maxReplicas())});
        if (s.behavior() != null && s.behavior().scaleDown() != null && s.behavior().scaleDown().stabilizationWindowSeconds() != null) {
            fields.add(new String[] {"Behavior:", "scale-up window " + window(s.behavior().scaleUp()) + ", scale-down window "
                    + window(s.behavior().scaleDown())});
        }
        ClusterView.DeploymentRow d = view.deployment(s.targetKey());
        fields.add(new String[] {s.scaleTargetRef().kind() + " pods:", d == null ? "<target not found>"
                : (st == null ? view.readyPods(s.targetKey()) : st.currentReplicas()) + " current / "
                        + (st == null ? d.spec.replicas() : st.desiredReplicas()) + " desired"});
        int width = fields.stream().mapToInt(f -> f[0].length()).max().orElse(0) + 2;
        StringBuilder out = new StringBuilder();
        for (String[] f : fields) out.append(f[0]).append(" ".repeat(width - f[0].length())).append(f[1]).append('\n');
        if (st == null || st.conditions().isEmpty()) {
            out.append("Conditions:").append(" ".repeat(width - "Conditions:".length())).append("<none>\n");
        } else {
            out.append("Conditions:\n");
            Table t = new Table("Type", "Status", "Reason", "Message");
            t.row("----", "------", "------", "-------");
            for (HpaCondition c : st.conditions()) t.row(c.type(), c.status(), orNone(c.reason()), orNone(c.message()));
            indent(out, t.render());
        }
        List<Event> events = events(view, a);
        if (events.isEmpty()) {
            out.append("Events:").append(" ".repeat(width - "Events:".length())).append("<none>\n");
        } else {
            out.append("Events:\n");
            Table t = new Table("Type", "Reason", "Age", "From", "Message");
            t.row("----", "------", "----", "----", "-------");
            for (Event e : events) t.row(e.type(), e.reason(), GetCommand.age(e.at(), now), e.from(), e.message());
            indent(out, t.render());
        }
        return out.toString();
    }

    /** kubectl's metric labels: "resource cpu on pods  (as a percentage of request)", "\"requests_per_second\" on pods". */
    static String metricLabel(MetricSpec m) {
        if (MetricSpec.PODS.equals(m.type())) return "\"" + m.name() + "\" on pods";
        return "resource " + m.name() + " on pods" + (AutoscalerTables.utilization(m) ? "  (as a percentage of request)" : "");
    }

    /** "45% (90m) / 50%" for utilization (with the average value when known), "4500m / 10" otherwise. */
    static String metricValue(MetricSpec m, MetricStatus c) {
        String current = AutoscalerTables.current(m, c);
        if (AutoscalerTables.utilization(m) && c != null && c.averageValueMilli() != null) {
            current += " (" + AutoscalerTables.quantity(m, c.averageValueMilli()) + ")";
        }
        return current + " / " + AutoscalerTables.target(m);
    }

    /**
     * The target's scales that said why since the autoscaler exists (SuccessfulRescale, as Kubernetes records them), and
     * each new failure in its status history (a False condition, as a Warning with the condition's reason and message);
     * a decision to keep the size is no event, as in Kubernetes.
     */
    static List<Event> events(ClusterView view, ClusterView.AutoscalerRow a) {
        List<Event> events = new ArrayList<>();
        List<String> told = new ArrayList<>();
        for (ClusterView.Rescale r : view.rescales(a.spec.targetKey())) {
            if (a.created != null && r.at().isBefore(a.created)) continue;
            String message = r.reason().startsWith("New size") ? r.reason() : "New size: " + r.replicas() + "; reason: " + r.reason();
            events.add(new Event(r.at(), "Normal", "SuccessfulRescale", "horizontal-pod-autoscaler", message));
            told.add(r.reason());
        }
        String previous = null;
        for (HorizontalPodAutoscalerStatus st : a.history) {
            if (st.reason() == null || st.reason().equals(previous)) continue;
            previous = st.reason();
            if (told.contains(st.reason())) continue;
            HpaCondition failing = st.conditions().stream()
                    .filter(c -> "False".equals(c.status()) && !HpaCondition.SCALING_LIMITED.equals(c.type())).findFirst().orElse(null);
            // Kubernetes records events for rescales and failures only, a failure in its condition's words.
            if (failing == null) continue;
            String message = failing.message() != null && !failing.message().isBlank() ? failing.message() : st.reason();
            events.add(new Event(st.at(), "Warning", orNone(failing.reason()), "horizontal-pod-autoscaler", message));
        }
        events.sort(Comparator.comparing(Event::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        return events.size() <= EVENTS ? events : events.subList(events.size() - EVENTS, events.size());
    }

    private static String window(dev.berth.bus.contract.HpaScalingRules r) {
        return r == null || r.stabilizationWindowSeconds() == null ? "<default>" : r.stabilizationWindowSeconds() + "s";
    }

    private static String orNone(String s) { return s == null || s.isBlank() ? "<none>" : s; }

    private static void indent(StringBuilder out, String table) {
        for (String line : table.split("\n")) if (!line.isEmpty()) out.append("  ").append(line).append('\n');
    }

}
