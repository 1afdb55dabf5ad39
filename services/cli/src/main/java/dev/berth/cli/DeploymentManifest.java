package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Kubernetes {@code apps/v1} Deployment manifest into a Berth deployment. Fields Berth
 * does not support are listed in {@link Parsed#ignored()} so the user hears about them.
 */
public final class DeploymentManifest {
    private DeploymentManifest() {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The deployment, and the manifest fields that Berth ignored. */
    public record Parsed(DeploymentSpec deployment, List<String> ignored) {}

    public static class InvalidManifest extends Exception {
        public InvalidManifest(String message) { super(message); }
    }

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA = Set.of("name", "labels", "namespace");
    private static final Set<String> SPEC = Set.of("replicas", "template", "selector");
    private static final Set<String> TEMPLATE = Set.of("metadata", "spec");
    private static final Set<String> POD_SPEC = Set.of("containers", "restartPolicy", "terminationGracePeriodSeconds");
    private static final Set<String> CONTAINER = Set.of("name", "image", "command", "args", "env", "resources");
    private static final Set<String> RESOURCES = Set.of("limits", "requests");

    public static Parsed parse(String yaml) throws InvalidManifest {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidManifest("not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new InvalidManifest("expected a Deployment object");
        if (!"Deployment".equals(root.path("kind").asText())) {
            throw new InvalidManifest("kind is '" + root.path("kind").asText() + "': Berth applies kind Deployment (apps/v1)");
        }
        if (!root.path("apiVersion").asText().equals("apps/v1")) {
            throw new InvalidManifest("apiVersion is '" + root.path("apiVersion").asText() + "': expected apps/v1");
        }
        List<String> ignored = new ArrayList<>();
        unsupported(root, "", TOP, ignored);
        unsupported(root.path("metadata"), "metadata", METADATA, ignored);
        JsonNode spec = root.path("spec");
        unsupported(spec, "spec", SPEC, ignored);
        unsupported(spec.path("template"), "spec.template", TEMPLATE, ignored);
        JsonNode podSpec = spec.path("template").path("spec");
        unsupported(podSpec, "spec.template.spec", POD_SPEC, ignored);

        String name = text(root.path("metadata").path("name"), "metadata.name");
        int replicas = spec.has("replicas") ? spec.get("replicas").asInt() : 1;
        JsonNode containers = podSpec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) throw new InvalidManifest("spec.template.spec.containers: at least one container is required");
        if (containers.size() > 1) ignored.add("spec.template.spec.containers[1..]: only the first container runs");
        JsonNode c = containers.get(0);
        String at = "spec.template.spec.containers[0]";
        unsupported(c, at, CONTAINER, ignored);
        unsupported(c.path("resources"), at + ".resources", RESOURCES, ignored);

        JsonNode limits = c.path("resources").path("limits");
        if (limits.isMissingNode()) limits = c.path("resources").path("requests");
        if (!c.path("resources").path("requests").isMissingNode() && !c.path("resources").path("limits").isMissingNode()) {
            ignored.add(at + ".resources.requests: Berth reserves and enforces the limits");
        }
        Resources resources;
        try {
            resources = new Resources(
                    limits.has("cpu") ? Quantities.cpuMillis(limits.get("cpu").asText()) : 0,
                    limits.has("memory") ? Quantities.memoryBytes(limits.get("memory").asText()) : 0);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidManifest(at + ".resources.limits: not a quantity (" + e.getMessage() + ")");
        }
        if (resources.cpuMillis() == 0 || resources.memoryBytes() == 0) {
            throw new InvalidManifest(at + ".resources.limits: cpu and memory are required (e.g. cpu: 250m, memory: 64Mi)");
        }
        PodTemplate template = new PodTemplate(
                text(c.path("image"), at + ".image"),
                strings(c.path("command")), strings(c.path("args")), env(c.path("env"), at, ignored), resources,
                podSpec.path("restartPolicy").asText(PodTemplate.DEFAULT_RESTART_POLICY),
                podSpec.path("terminationGracePeriodSeconds").asInt(PodTemplate.DEFAULT_GRACE_SECONDS));
        return new Parsed(new DeploymentSpec(name, replicas, template), ignored);
    }

    private static void unsupported(JsonNode node, String path, Set<String> known, List<String> ignored) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) ignored.add((path.isEmpty() ? "" : path + ".") + f + ": not supported by Berth, ignored");
        }
    }

    private static String text(JsonNode n, String path) throws InvalidManifest {
        if (!n.isTextual() || n.asText().isBlank()) throw new InvalidManifest(path + " is required");
        return n.asText();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static Map<String, String> env(JsonNode n, String at, List<String> ignored) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : n) {
            if (e.has("valueFrom")) ignored.add(at + ".env[" + e.path("name").asText() + "].valueFrom: not supported, ignored");
            else env.put(e.path("name").asText(), e.path("value").asText(""));
        }
        return env;
    }
}
