package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.Limits;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HpaBehavior;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.MetricTarget;
import dev.berth.bus.contract.ScaleTargetRef;
import dev.berth.cli.DeploymentManifest.InvalidManifest;
import dev.berth.controller.core.AutoscalerRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a Kubernetes HorizontalPodAutoscaler, {@code autoscaling/v2} (metrics of type Resource and Pods, behavior) or
 * {@code autoscaling/v1} (targetCPUUtilizationPercentage), into Berth's spec; quantities become milli-units. Metric
 * kinds Berth has no source for (Object, External, ContainerResource) are refused with the reason, not ignored: an
 * autoscaler quietly following fewer metrics than written would scale wrong. The API server's validation
 * ({@link AutoscalerRules}, the controller's) is applied here too, so a mistake is named before anything is sent.
 */
final class HorizontalPodAutoscalerManifest {
    private HorizontalPodAutoscalerManifest() {}

    static final String KIND = "HorizontalPodAutoscaler";

    /** The autoscaler, the fields Berth ignored, and metadata.namespace (null: none). */
    record Parsed(HorizontalPodAutoscalerSpec autoscaler, List<String> ignored, String namespace) {
        HorizontalPodAutoscalerSpec in(String flag) throws InvalidManifest {
            HorizontalPodAutoscalerSpec a = autoscaler;
            return new HorizontalPodAutoscalerSpec(DeploymentManifest.namespaceFor(namespace, flag), a.name(), a.scaleTargetRef(),
                    a.minReplicas(), a.maxReplicas(), a.metrics(), a.behavior());
        }
    }

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Set<String> METADATA = Set.of("name", "namespace");
    private static final Set<String> SPEC_V2 = Set.of("scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior");
    private static final Set<String> SPEC_V1 = Set.of("scaleTargetRef", "minReplicas", "maxReplicas", "targetCPUUtilizationPercentage");
    private static final Set<String> TARGET_REF = Set.of("apiVersion", "kind", "name");
    private static final Set<String> METRIC = Set.of("type", "resource", "pods");
    private static final Set<String> RESOURCE = Set.of("name", "target");
    private static final Set<String> PODS = Set.of("metric", "target");
    private static final Set<String> TARGET = Set.of("type", "averageUtilization", "averageValue", "value");
    private static final Set<String> BEHAVIOR = Set.of("scaleUp", "scaleDown");
    private static final Set<String> RULES = Set.of("stabilizationWindowSeconds", "selectPolicy", "policies");
    private static final Set<String> POLICY = Set.of("type", "value", "periodSeconds");
    private static final Set<String> UNSUPPORTED_METRICS = Set.of("Object", "External", "ContainerResource");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    static Parsed parse(JsonNode root) throws InvalidManifest {
        if (root == null || !root.isObject()) throw new InvalidManifest("expected a HorizontalPodAutoscaler object");
        if (!KIND.equals(root.path("kind").asText())) throw new InvalidManifest("expected kind " + KIND);
        String apiVersion = root.path("apiVersion").asText();
        boolean v1 = apiVersion.equals("autoscaling/v1");
        if (apiVersion.startsWith("autoscaling/v2beta")) {
            throw new InvalidManifest("apiVersion " + apiVersion + " was removed in Kubernetes 1.26 (1.25 for v2beta1): write autoscaling/v2,"
                    + " whose fields are the same as v2beta2's");
        }
        if (!v1 && !apiVersion.equals("autoscaling/v2")) {
            throw new InvalidManifest("apiVersion is '" + apiVersion + "': expected autoscaling/v2 or autoscaling/v1");
        }
        List<String> ignored = new ArrayList<>();
        DeploymentManifest.unsupported(root, "", TOP, ignored);
        if (root.has("status")) ignored.add("status: set by the autoscaler, ignored");
        DeploymentManifest.unsupported(root.path("metadata"), "metadata", METADATA, ignored);
        JsonNode nameNode = root.path("metadata").path("name");
        if (!nameNode.isTextual() || nameNode.asText().isBlank()) throw new InvalidManifest("metadata.name is required");
        String name = nameNode.asText();
        JsonNode spec = root.path("spec");
        if (!spec.isObject()) throw new InvalidManifest("spec: Required value (scaleTargetRef, maxReplicas, ...)");
        DeploymentManifest.unsupported(spec, "spec", v1 ? SPEC_V1 : SPEC_V2, ignored);

        ScaleTargetRef ref = targetRef(spec.path("scaleTargetRef"), ignored);
        Integer min = integer(spec.path("minReplicas"), "spec.minReplicas", false);
        Integer max = integer(spec.path("maxReplicas"), "spec.maxReplicas", true);
        List<MetricSpec> metrics = new ArrayList<>();
        HpaBehavior behavior = null;
        if (v1) {
            Integer cpu = integer(spec.path("targetCPUUtilizationPercentage"), "spec.targetCPUUtilizationPercentage", false);
            if (cpu != null) metrics.add(MetricSpec.cpuUtilization(cpu));
        } else {
            metrics = metrics(spec.path("metrics"), ignored);
            behavior = behavior(spec.path("behavior"), ignored);
        }
        HorizontalPodAutoscalerSpec parsed = new HorizontalPodAutoscalerSpec(null, name, ref, min, max, metrics, behavior);
        List<String> problems = AutoscalerRules.check(parsed);
        if (!problems.isEmpty()) throw new InvalidManifest(AutoscalerRules.invalid(name, problems));
        return new Parsed(parsed, ignored, DeploymentManifest.namespaceOf(root));
    }

    private static ScaleTargetRef targetRef(JsonNode n, List<String> ignored) throws InvalidManifest {
        if (!n.isObject()) throw new InvalidManifest("spec.scaleTargetRef: Required value (kind: Deployment, name: ...)");
        DeploymentManifest.unsupported(n, "spec.scaleTargetRef", TARGET_REF, ignored);
        String kind = n.path("kind").asText("");
        if (kind.isBlank()) throw new InvalidManifest("spec.scaleTargetRef.kind: Required value");
        if (!kind.equals(ScaleTargetRef.DEPLOYMENT)) {
            throw new InvalidManifest("spec.scaleTargetRef.kind: Berth autoscales Deployments only, not " + kind);
        }
        String apiVersion = n.hasNonNull("apiVersion") ? n.get("apiVersion").asText() : null;
        if (apiVersion != null && !apiVersion.equals("apps/v1")) {
            throw new InvalidManifest("spec.scaleTargetRef.apiVersion: a Deployment is apps/v1, not " + apiVersion);
        }
        String name = n.path("name").asText("");
        if (name.isBlank()) throw new InvalidManifest("spec.scaleTargetRef.name: Required value");
        return new ScaleTargetRef(apiVersion, kind, name);
    }

    private static List<MetricSpec> metrics(JsonNode n, List<String> ignored) throws InvalidManifest {
        List<MetricSpec> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) return out;
        if (!n.isArray()) throw new InvalidManifest("spec.metrics: expected a list of metrics");
        if (n.size() > Limits.HPA_METRICS_MAX_ITEMS) throw new InvalidManifest("spec.metrics: at most " + Limits.HPA_METRICS_MAX_ITEMS + " metrics");
        for (int i = 0; i < n.size(); i++) out.add(metric(n.get(i), "spec.metrics[" + i + "]", ignored));
        return out;
    }

    private static MetricSpec metric(JsonNode m, String at, List<String> ignored) throws InvalidManifest {
        if (!m.isObject()) throw new InvalidManifest(at + ": expected {type, resource|pods}");
        String type = m.path("type").asText("");
        if (UNSUPPORTED_METRICS.contains(type)) {
            throw new InvalidManifest(at + ".type: " + type + " metrics are not supported by Berth: it measures Resource metrics (cpu, memory)"
                    + " and the Pods metric requests_per_second (from its proxy)");
        }
        if (type.equals(MetricSpec.RESOURCE)) {
            DeploymentManifest.unsupported(m, at, METRIC, ignored);
            JsonNode r = m.path("resource");
            if (!r.isObject()) throw new InvalidManifest(at + ".resource: Required value (name, target)");
            DeploymentManifest.unsupported(r, at + ".resource", RESOURCE, ignored);
            String name = r.path("name").asText("");
            if (name.isBlank()) throw new InvalidManifest(at + ".resource.name: Required value (cpu or memory)");
            return new MetricSpec(MetricSpec.RESOURCE, name, target(r.path("target"), at + ".resource.target", ignored));
        }
        if (type.equals(MetricSpec.PODS)) {
            DeploymentManifest.unsupported(m, at, METRIC, ignored);
            JsonNode p = m.path("pods");
            if (!p.isObject()) throw new InvalidManifest(at + ".pods: Required value (metric, target)");
            DeploymentManifest.unsupported(p, at + ".pods", PODS, ignored);
            JsonNode metric = p.path("metric");
            if (metric.has("selector")) {
                throw new InvalidManifest(at + ".pods.metric.selector: not supported by Berth: its Pods metrics carry no labels to select by");
            }
            DeploymentManifest.unsupported(metric, at + ".pods.metric", Set.of("name"), ignored);
            String name = metric.path("name").asText("");
            if (name.isBlank()) throw new InvalidManifest(at + ".pods.metric.name: Required value (e.g. requests_per_second)");
            if (!METRIC_NAME.matcher(name).matches() || name.length() > Limits.METRIC_NAME_MAX_LENGTH) {
                throw new InvalidManifest(at + ".pods.metric.name: Invalid value: \"" + name + "\": Berth's metric names are letters, digits,"
                        + " '_' and ':' (its proxy provides requests_per_second)");
            }
            if (!name.equals(MetricSpec.REQUESTS_PER_SECOND)) {
                ignored.add(at + ".pods.metric.name: Berth measures only requests_per_second; the autoscaler will report " + name + " missing");
            }
            return new MetricSpec(MetricSpec.PODS, name, target(p.path("target"), at + ".pods.target", ignored));
        }
        throw new InvalidManifest(at + ".type: Unsupported value: \"" + type + "\": supported values: \"Pods\", \"Resource\"");
    }

    private static MetricTarget target(JsonNode t, String at, List<String> ignored) throws InvalidManifest {
        if (!t.isObject()) throw new InvalidManifest(at + ": Required value (type: Utilization or AverageValue)");
        DeploymentManifest.unsupported(t, at, TARGET, ignored);
        String type = t.path("type").asText("");
        if (type.isBlank()) throw new InvalidManifest(at + ".type: Required value (Utilization or AverageValue)");
        if (type.equals("Value") || t.has("value")) {
            throw new InvalidManifest(at + ".type: Value targets are for Object and External metrics, which Berth does not have;"
                    + " use AverageValue (per pod)");
        }
        Integer utilization = integer(t.path("averageUtilization"), at + ".averageUtilization", false);
        Long average = null;
        JsonNode v = t.path("averageValue");
        if (!v.isMissingNode() && !v.isNull()) {
            if (!v.isTextual() && !v.isNumber()) throw new InvalidManifest(at + ".averageValue: expected a quantity such as 500m, 10 or 100Mi");
            try {
                average = Quantities.milliValue(v.asText());
            } catch (NumberFormatException e) {
                throw new InvalidManifest(at + ".averageValue: " + e.getMessage());
            }
        }
        return new MetricTarget(type, utilization, average);
    }

    private static HpaBehavior behavior(JsonNode n, List<String> ignored) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isObject()) throw new InvalidManifest("spec.behavior: expected {scaleUp, scaleDown}");
        DeploymentManifest.unsupported(n, "spec.behavior", BEHAVIOR, ignored);
        return new HpaBehavior(rules(n.path("scaleUp"), "spec.behavior.scaleUp", ignored), rules(n.path("scaleDown"), "spec.behavior.scaleDown", ignored));
    }

    private static HpaScalingRules rules(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isObject()) throw new InvalidManifest(at + ": expected {stabilizationWindowSeconds, selectPolicy, policies}");
        DeploymentManifest.unsupported(n, at, RULES, ignored);
        Integer window = integer(n.path("stabilizationWindowSeconds"), at + ".stabilizationWindowSeconds", false);
        String select = n.hasNonNull("selectPolicy") ? n.get("selectPolicy").asText() : null;
        List<HpaScalingPolicy> policies = null;
        JsonNode p = n.path("policies");
        if (!p.isMissingNode() && !p.isNull()) {
            if (!p.isArray()) throw new InvalidManifest(at + ".policies: expected a list of {type, value, periodSeconds}");
            if (p.size() > Limits.HPA_POLICIES_MAX_ITEMS) throw new InvalidManifest(at + ".policies: at most " + Limits.HPA_POLICIES_MAX_ITEMS);
            policies = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                JsonNode policy = p.get(i);
                String pat = at + ".policies[" + i + "]";
                if (!policy.isObject()) throw new InvalidManifest(pat + ": expected {type, value, periodSeconds}");
                DeploymentManifest.unsupported(policy, pat, POLICY, ignored);
                String type = policy.path("type").asText("");
                if (type.isBlank()) throw new InvalidManifest(pat + ".type: Required value (Pods or Percent)");
                policies.add(new HpaScalingPolicy(type, integer(policy.path("value"), pat + ".value", true),
                        integer(policy.path("periodSeconds"), pat + ".periodSeconds", true)));
            }
        }
        return new HpaScalingRules(window, select, policies);
    }

    /** A whole number ("3" too, as YAML writers quote numbers), null when absent and not {@code required}. */
    private static Integer integer(JsonNode n, String at, boolean required) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) {
            if (required) throw new InvalidManifest(at + ": Required value");
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) return n.asInt();
        if (n.isTextual() && n.asText().matches("-?[0-9]{1,9}")) return Integer.parseInt(n.asText());
        throw new InvalidManifest(at + ": expected a whole number, not " + Limits.excerpt(n.toString(), 40));
    }
}
