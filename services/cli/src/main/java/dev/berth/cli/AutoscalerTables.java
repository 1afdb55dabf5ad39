package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.Json;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.HpaCondition;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.MetricStatus;
import dev.berth.bus.contract.MetricTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code berth get hpa}: kubectl's columns and its TARGETS text, and the autoscaling/v2 objects of -o json/yaml. */
final class AutoscalerTables {
    private AutoscalerTables() {}

    /** kubectl prints this many metrics in TARGETS, then " + N more...". */
    static final int TARGETS_SHOWN = 2;

    /** NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE; wide adds the last decision's REASON. */
    static String table(ClusterView view, Instant now, boolean wide, Selection selection, NamespaceOptions ns) {
        String[] headers = wide ? new String[] {"NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE", "REASON"}
                : new String[] {"NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"};
        Table t = new Table(GetCommand.columns(ns, false, headers));
        for (ClusterView.AutoscalerRow a : view.autoscalers()) {
            if (!ns.shows(a.namespace()) || !selection.test(a.spec.name(), Map.of())) continue;
            HorizontalPodAutoscalerSpec s = a.spec;
            List<String> cells = new ArrayList<>(List.of(s.name(), reference(s), targets(s, a.status), Integer.toString(s.minReplicasOrDefault()),
                    Integer.toString(s.maxReplicas()), a.status == null ? "0" : Integer.toString(a.status.currentReplicas()), GetCommand.age(a.created, now)));
            if (wide) cells.add(a.status == null || a.status.reason() == null ? "<none>" : a.status.reason());
            t.row(GetCommand.cells(ns, a.namespace(), false, Map.of(), cells.toArray(String[]::new)));
        }
        return t.render();
    }

    static String reference(HorizontalPodAutoscalerSpec s) { return s.scaleTargetRef().kind() + "/" + s.scaleTargetRef().name(); }

    /** kubectl 1.30's TARGETS: "cpu: 45%/50%", "cpu: <unknown>/50%", "requests_per_second: 4500m/10"; more than two: " + N more...". */
    static String targets(HorizontalPodAutoscalerSpec s, HorizontalPodAutoscalerStatus status) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < s.metrics().size() && i < TARGETS_SHOWN; i++) {
            MetricSpec m = s.metrics().get(i);
            shown.add(m.name() + ": " + current(m, current(m, status)) + "/" + target(m));
        }
        String text = shown.isEmpty() ? "<none>" : String.join(", ", shown);
        if (s.metrics().size() > TARGETS_SHOWN) text += " + " + (s.metrics().size() - TARGETS_SHOWN) + " more...";
        return text;
    }

    /** A status's metrics alone (no spec at hand): "cpu 45%, requests_per_second 4500m". */
    static String statusTargets(HorizontalPodAutoscalerStatus s) {
        if (s.currentMetrics().isEmpty()) return "no metrics";
        List<String> out = new ArrayList<>();
        for (MetricStatus c : s.currentMetrics()) {
            MetricSpec as = new MetricSpec(c.type(), c.name(), null);
            out.add(c.name() + " " + (c.averageUtilization() != null ? c.averageUtilization() + "%"
                    : c.averageValueMilli() != null ? quantity(as, c.averageValueMilli()) : "<unknown>"));
        }
        return String.join(", ", out);
    }

    /** The status of the metric {@code m} (same type and name), or null when the autoscaler has none. */
    static MetricStatus current(MetricSpec m, HorizontalPodAutoscalerStatus status) {
        if (status == null) return null;
        for (MetricStatus c : status.currentMetrics()) if (c.type().equals(m.type()) && c.name().equals(m.name())) return c;
        return null;
    }

    /** The current value as its target is written: a percentage for Utilization, a quantity otherwise; {@code <unknown>} when not known. */
    static String current(MetricSpec m, MetricStatus c) {
        if (c == null) return "<unknown>";
        if (utilization(m)) return c.averageUtilization() == null ? "<unknown>" : c.averageUtilization() + "%";
        return c.averageValueMilli() == null ? "<unknown>" : quantity(m, c.averageValueMilli());
    }

    static String target(MetricSpec m) {
        MetricTarget t = m.target();
        if (utilization(m)) return t.averageUtilization() == null ? "<auto>" : t.averageUtilization() + "%";
        return t.averageValueMilli() == null ? "<auto>" : quantity(m, t.averageValueMilli());
    }

    static boolean utilization(MetricSpec m) { return m.target() != null && MetricTarget.UTILIZATION.equals(m.target().type()); }

    static String quantity(MetricSpec m, long milli) { return Quantities.formatMilli(milli, MetricSpec.MEMORY.equals(m.name())); }

    /** autoscaling/v2 HorizontalPodAutoscalers: one object when {@code selection} names one, else a List. */
    static ObjectNode objects(ClusterView view, Selection selection, NamespaceOptions ns) {
        ObjectNode list = Json.object().put("apiVersion", "v1").put("kind", "List");
        ArrayNode items = list.putArray("items");
        list.putObject("metadata").put("resourceVersion", "");
        for (ClusterView.AutoscalerRow a : view.autoscalers()) {
            if (!ns.shows(a.namespace()) || !selection.test(a.spec.name(), Map.of())) continue;
            ObjectNode item = object(a);
            if (selection.name() != null) return item;
            items.add(item);
        }
        return list;
    }

    static ObjectNode object(ClusterView.AutoscalerRow a) {
        HorizontalPodAutoscalerSpec s = a.spec;
        ObjectNode item = Json.object().put("apiVersion", "autoscaling/v2").put("kind", HorizontalPodAutoscalerManifest.KIND);
        ObjectNode meta = item.putObject("metadata").put("name", s.name()).put("namespace", s.namespace());
        if (a.created != null) meta.put("creationTimestamp", a.created.toString());
        ObjectNode spec = item.putObject("spec");
        spec.putObject("scaleTargetRef").put("apiVersion", s.scaleTargetRef().apiVersion()).put("kind", s.scaleTargetRef().kind())
                .put("name", s.scaleTargetRef().name());
        spec.put("minReplicas", s.minReplicasOrDefault()).put("maxReplicas", s.maxReplicas());
        ArrayNode metrics = spec.putArray("metrics");
        for (MetricSpec m : s.metrics()) {
            ObjectNode source = metricSource(metrics.addObject().put("type", m.type()), m);
            ObjectNode target = source.putObject("target").put("type", m.target().type());
            if (m.target().averageUtilization() != null) target.put("averageUtilization", m.target().averageUtilization());
            if (m.target().averageValueMilli() != null) target.put("averageValue", quantity(m, m.target().averageValueMilli()));
        }
        if (s.behavior() != null) {
            ObjectNode behavior = spec.putObject("behavior");
            rules(behavior, "scaleUp", s.behavior().scaleUp());
            rules(behavior, "scaleDown", s.behavior().scaleDown());
        }
        ObjectNode status = item.putObject("status");
        HorizontalPodAutoscalerStatus st = a.status;
        status.put("currentReplicas", st == null ? 0 : st.currentReplicas()).put("desiredReplicas", st == null ? 0 : st.desiredReplicas());
        if (st != null) {
            if (st.lastScaleTime() != null) status.put("lastScaleTime", st.lastScaleTime().toString());
            ArrayNode current = status.putArray("currentMetrics");
            for (MetricStatus c : st.currentMetrics()) {
                MetricSpec as = new MetricSpec(c.type(), c.name(), null);
                ObjectNode value = metricSource(current.addObject().put("type", c.type()), as).putObject("current");
                if (c.averageUtilization() != null) value.put("averageUtilization", c.averageUtilization());
                if (c.averageValueMilli() != null) value.put("averageValue", quantity(as, c.averageValueMilli()));
            }
            ArrayNode conditions = status.putArray("conditions");
            for (HpaCondition c : st.conditions()) {
                ObjectNode o = conditions.addObject().put("type", c.type()).put("status", c.status());
                if (c.lastTransitionTime() != null) o.put("lastTransitionTime", c.lastTransitionTime().toString());
                if (c.reason() != null) o.put("reason", c.reason());
                if (c.message() != null) o.put("message", c.message());
            }
        }
        return item;
    }

    /** {resource: {name}} or {pods: {metric: {name}}}: where autoscaling/v2 puts a metric's name; returns where its target goes. */
    private static ObjectNode metricSource(ObjectNode metric, MetricSpec m) {
        if (MetricSpec.PODS.equals(m.type())) {
            ObjectNode pods = metric.putObject("pods");
            pods.putObject("metric").put("name", m.name());
            return pods;
        }
        return metric.putObject("resource").put("name", m.name());
    }

    private static void rules(ObjectNode behavior, String field, HpaScalingRules r) {
        if (r == null) return;
        ObjectNode o = behavior.putObject(field);
        if (r.stabilizationWindowSeconds() != null) o.put("stabilizationWindowSeconds", r.stabilizationWindowSeconds());
        if (r.selectPolicy() != null) o.put("selectPolicy", r.selectPolicy());
        if (r.policies() != null) {
            ArrayNode policies = o.putArray("policies");
            for (HpaScalingPolicy p : r.policies()) policies.addObject().put("type", p.type()).put("value", p.value()).put("periodSeconds", p.periodSeconds());
        }
    }
}
