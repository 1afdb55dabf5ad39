package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Namespaces;
import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import dev.berth.bus.Limits;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.Selector;
import dev.berth.bus.contract.Taint;
import dev.berth.bus.contract.Toleration;
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

    /**
     * The deployment, and the manifest fields that Berth ignored.
     *
     * @param namespace the manifest's metadata.namespace; null when it names none (then -n, or default, decides)
     */
    public record Parsed(DeploymentSpec deployment, List<String> ignored, String namespace) {
        public Parsed(DeploymentSpec deployment, List<String> ignored) { this(deployment, ignored, null); }

        /**
         * The deployment in the namespace it goes to: the manifest's, else {@code flag} (-n), else default.
         * A manifest namespace that differs from -n is an error, in kubectl's words.
         */
        public DeploymentSpec in(String flag) throws InvalidManifest {
            return deployment.inNamespace(namespaceFor(namespace, flag));
        }
    }

    /** Where an object with {@code own} metadata.namespace goes when -n says {@code flag} (either may be null). */
    static String namespaceFor(String own, String flag) throws InvalidManifest {
        if (own != null && flag != null && !own.equals(flag)) {
            throw new InvalidManifest("the namespace from the provided object \"" + own + "\" does not match the namespace \""
                    + flag + "\". You must pass '--namespace=" + own + "' to perform this operation.");
        }
        return own != null ? own : Namespaces.orDefault(flag);
    }

    /** metadata.namespace, or null when absent. */
    static String namespaceOf(JsonNode root) throws InvalidManifest {
        JsonNode ns = root.path("metadata").path("namespace");
        if (ns.isMissingNode() || ns.isNull()) return null;
        if (!ns.isTextual() || ns.asText().isBlank()) throw new InvalidManifest("metadata.namespace: expected a namespace name");
        return ns.asText();
    }

    public static class InvalidManifest extends Exception {
        public InvalidManifest(String message) { super(message); }
    }

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA = Set.of("name", "labels", "namespace", "annotations");
    private static final Set<String> SPEC = Set.of("replicas", "template", "selector", "strategy", "minReadySeconds",
            "progressDeadlineSeconds", "revisionHistoryLimit", "paused");
    private static final Set<String> TEMPLATE = Set.of("metadata", "spec");
    private static final Set<String> TEMPLATE_METADATA = Set.of("labels", "annotations");
    private static final Set<String> SELECTOR = Set.of("matchLabels", "matchExpressions");
    private static final Set<String> EXPRESSION = Set.of("key", "operator", "values");
    private static final Set<String> POD_SPEC = Set.of("containers", "initContainers", "restartPolicy", "terminationGracePeriodSeconds",
            "nodeSelector", "tolerations", "securityContext", "volumes");
    private static final Set<String> CONTAINER = Set.of("name", "image", "imagePullPolicy", "command", "args", "env", "resources", "ports",
            "readinessProbe", "livenessProbe", "startupProbe", "workingDir", "securityContext", "envFrom", "volumeMounts");
    private static final Set<String> PORT = Set.of("containerPort", "name", "protocol", "hostPort");
    private static final Set<String> RESOURCES = Set.of("limits", "requests");
    private static final Set<String> TOLERATION = Set.of("key", "operator", "value", "effect");

    public static Parsed parse(String yaml) throws InvalidManifest {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidManifest("not valid YAML: " + e.getOriginalMessage());
        }
        return parse(root);
    }

    /** One Deployment object of a manifest, as {@link ManifestReader} reads them. */
    public static Parsed parse(JsonNode root) throws InvalidManifest {
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
        String name = text(root.path("metadata").path("name"), "metadata.name");
        int replicas = spec.has("replicas") ? spec.get("replicas").asInt() : 1;
        PodTemplate template = template(spec, PodTemplate.DEFAULT_RESTART_POLICY, ignored);
        Map<String, String> labels = labels(root.path("metadata").path("labels"), "metadata.labels");
        Map<String, String> annotations = RolloutManifest.annotations(root.path("metadata").path("annotations"), "metadata.annotations");
        String namespace = namespaceOf(root);
        return new Parsed(new DeploymentSpec(name, replicas, template, labels, selector(spec.path("selector"), ignored), namespace,
                RolloutManifest.rollout(spec, ignored), annotations), ignored, namespace);
    }

    /**
     * {@code spec.template} of a Deployment or a Job: the pod template, its restartPolicy {@code defaultRestartPolicy}
     * when absent (Always, as the API server defaults it: for a Job the controller then refuses Always in Kubernetes' words).
     */
    static PodTemplate template(JsonNode spec, String defaultRestartPolicy, List<String> ignored) throws InvalidManifest {
        unsupported(spec.path("template"), "spec.template", TEMPLATE, ignored);
        unsupported(spec.path("template").path("metadata"), "spec.template.metadata", TEMPLATE_METADATA, ignored);
        JsonNode podSpec = spec.path("template").path("spec");
        unsupported(podSpec, "spec.template.spec", POD_SPEC, ignored);
        JsonNode containers = podSpec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) throw new InvalidManifest("spec.template.spec.containers: at least one container is required");
        JsonNode inits = podSpec.path("initContainers");
        if (!inits.isMissingNode() && !inits.isNull() && !inits.isArray()) {
            throw new InvalidManifest("spec.template.spec.initContainers: expected a list of containers");
        }
        // A pod of one container keeps it unnamed, so it is named after the deployment (as before several containers
        // ran: its logs, metrics and revisions stay the same); in a pod of several each needs its own name.
        boolean several = containers.size() > 1 || inits.size() > 0;
        List<Container> app = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            app.add(container(containers.get(i), "spec.template.spec.containers[" + i + "]", podSpec, several, ignored));
        }
        List<Container> init = new ArrayList<>();
        for (int i = 0; i < inits.size(); i++) {
            init.add(container(inits.get(i), "spec.template.spec.initContainers[" + i + "]", podSpec, true, ignored));
        }
        return new PodTemplate(app, init,
                podSpec.path("restartPolicy").asText(defaultRestartPolicy),
                podSpec.path("terminationGracePeriodSeconds").asInt(PodTemplate.DEFAULT_GRACE_SECONDS),
                nodeSelector(podSpec.path("nodeSelector")), tolerations(podSpec.path("tolerations"), ignored),
                labels(spec.path("template").path("metadata").path("labels"), "spec.template.metadata.labels"),
                RolloutManifest.annotations(spec.path("template").path("metadata").path("annotations"),
                        "spec.template.metadata.annotations"))
                .withVolumes(PodConfigManifest.volumes(podSpec.path("volumes"), "spec.template.spec.volumes", ignored));
    }

    /** One entry of containers[] or initContainers[]; {@code named}: its name is required (a pod of several). */
    private static Container container(JsonNode c, String at, JsonNode podSpec, boolean named, List<String> ignored) throws InvalidManifest {
        if (!c.isObject()) throw new InvalidManifest(at + ": expected a container");
        unsupported(c, at, CONTAINER, ignored);
        unsupported(c.path("resources"), at + ".resources", RESOURCES, ignored);
        ResourceRequirements resources = new ResourceRequirements(
                resourceList(c.path("resources").path("requests"), at + ".resources.requests", ignored),
                resourceList(c.path("resources").path("limits"), at + ".resources.limits", ignored));
        String pullPolicy = c.hasNonNull("imagePullPolicy") ? c.get("imagePullPolicy").asText() : null;
        if (pullPolicy != null && !PodTemplate.PULL_POLICIES.contains(pullPolicy)) {
            throw new InvalidManifest(at + ".imagePullPolicy must be Always, IfNotPresent or Never, not '" + pullPolicy + "'");
        }
        String name = null;
        if (named) {
            if (!c.path("name").isTextual() || c.path("name").asText().isBlank()) throw new InvalidManifest(at + ".name: Required value");
            name = c.path("name").asText();
        }
        return PodConfigManifest.read(new Container(name, text(c.path("image"), at + ".image"), strings(c.path("command")), strings(c.path("args")),
                env(c.path("env"), at, ignored), resources, pullPolicy, ports(c.path("ports"), at + ".ports", ignored),
                ContainerProbes.probe(c.path("readinessProbe"), at + ".readinessProbe", ignored),
                ContainerProbes.healthProbe(c.path("livenessProbe"), at + ".livenessProbe", ignored),
                ContainerProbes.healthProbe(c.path("startupProbe"), at + ".startupProbe", ignored),
                workingDir(c.path("workingDir"), at + ".workingDir"),
                ContainerProbes.securityContext(c.path("securityContext"), podSpec.path("securityContext"), at, ignored)), c, at, ignored);
    }

    /**
     * One side of a container's resources: cpu and memory as Kubernetes quantities, extended resources (any name
     * with a domain, e.g. nvidia.com/gpu) as whole numbers. Nothing is required; other resources are ignored.
     */
    static ResourceList resourceList(JsonNode side, String path, List<String> ignored) throws InvalidManifest {
        if (side.isMissingNode() || side.isNull()) return ResourceList.NONE;
        if (!side.isObject()) throw new InvalidManifest(path + ": expected a map of resource names to quantities");
        Long cpu = null, memory = null;
        Map<String, Long> extended = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = side.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey(), quantity = e.getValue().asText();
            String at = path + "." + name;
            try {
                if (name.equals("cpu")) cpu = Quantities.cpuMillis(quantity);
                else if (name.equals("memory")) memory = Quantities.memoryBytes(quantity);
                else if (name.contains("/")) extended.put(name, count(quantity, at));
                else ignored.add(at + ": not supported by Berth, ignored (cpu, memory and extended resources such as nvidia.com/gpu are)");
            } catch (NumberFormatException | ArithmeticException ex) {
                throw new InvalidManifest(at + ": '" + quantity + "' is not a quantity (e.g. cpu: 250m, memory: 64Mi)");
            }
        }
        return new ResourceList(cpu, memory, extended);
    }

    private static String workingDir(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isTextual() || !n.asText().startsWith("/")) throw new InvalidManifest(at + ": expected an absolute path, e.g. /app");
        return n.asText();
    }

    /** An extended resource's quantity: Kubernetes allows whole numbers only. */
    private static long count(String quantity, String at) throws InvalidManifest {
        try {
            return Quantities.memoryBytes(quantity);
        } catch (ArithmeticException e) {
            throw new InvalidManifest(at + ": '" + quantity + "' must be a whole number (extended resources are counted)");
        }
    }

    static void unsupported(JsonNode node, String path, Set<String> known, List<String> ignored) {
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

    private static Map<String, String> nodeSelector(JsonNode n) throws InvalidManifest {
        return labels(n, "spec.template.spec.nodeSelector");
    }

    /**
     * {@code spec.selector}, which apps/v1 requires (the API server answers {@code Required value}).
     * Whether it matches the template's labels is the controller's rule, so every client hears the same.
     */
    private static Selector selector(JsonNode n, List<String> ignored) throws InvalidManifest {
        String at = "spec.selector";
        if (n.isMissingNode() || n.isNull()) throw new InvalidManifest(at + ": Required value");
        if (!n.isObject()) throw new InvalidManifest(at + ": expected {matchLabels: {...}, matchExpressions: [...]}");
        unsupported(n, at, SELECTOR, ignored);
        Map<String, String> matchLabels = labels(n.path("matchLabels"), at + ".matchLabels");
        JsonNode expressions = n.path("matchExpressions");
        List<Selector.Requirement> out = new ArrayList<>();
        if (!expressions.isMissingNode() && !expressions.isNull()) {
            if (!expressions.isArray()) throw new InvalidManifest(at + ".matchExpressions: expected a list, e.g. [{key: tier, operator: In, values: [web]}]");
            if (expressions.size() > Limits.SELECTOR_EXPRESSIONS_MAX_ITEMS) {
                throw new InvalidManifest(at + ".matchExpressions: at most " + Limits.SELECTOR_EXPRESSIONS_MAX_ITEMS + " expressions");
            }
            for (int i = 0; i < expressions.size(); i++) {
                JsonNode x = expressions.get(i);
                String path = at + ".matchExpressions[" + i + "]";
                if (!x.isObject()) throw new InvalidManifest(path + ": expected {key, operator, values}");
                unsupported(x, path, EXPRESSION, ignored);
                if (!x.path("key").isTextual()) throw new InvalidManifest(path + ".key: Required value");
                if (!x.path("operator").isTextual()) throw new InvalidManifest(path + ".operator: Required value");
                JsonNode values = x.path("values");
                List<String> vs = new ArrayList<>();
                if (!values.isMissingNode() && !values.isNull()) {
                    if (!values.isArray()) throw new InvalidManifest(path + ".values: expected a list of label values");
                    if (values.size() > Limits.SELECTOR_VALUES_MAX_ITEMS) {
                        throw new InvalidManifest(path + ".values: at most " + Limits.SELECTOR_VALUES_MAX_ITEMS + " values");
                    }
                    for (JsonNode v : values) {
                        if (!v.isValueNode() || v.isNull()) throw new InvalidManifest(path + ".values: expected label values");
                        vs.add(v.asText());
                    }
                }
                out.add(new Selector.Requirement(x.get("key").asText(), x.get("operator").asText(), vs));
            }
        }
        return new Selector(matchLabels, out);
    }

    /** A map of label to value (labels, a nodeSelector, matchLabels); the controller checks keys and values. */
    static Map<String, String> labels(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return Map.of();
        if (!n.isObject()) throw new InvalidManifest(at + ": expected a map of label to value, e.g. {app: web}");
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode()) throw new InvalidManifest(at + "." + e.getKey() + ": expected a label value");
            out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()); // YAML's "app:" is the empty value
        }
        return out;
    }

    /**
     * Kubernetes tolerations; Berth's taints are NoSchedule only, so a toleration for another effect
     * could never match and is reported as ignored, like tolerationSeconds (a NoExecute setting).
     */
    private static List<Toleration> tolerations(JsonNode n, List<String> ignored) throws InvalidManifest {
        String at = "spec.template.spec.tolerations";
        if (n.isMissingNode() || n.isNull()) return List.of();
        if (!n.isArray()) throw new InvalidManifest(at + ": expected a list, e.g. [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]");
        List<Toleration> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            String path = at + "[" + i + "]";
            if (!t.isObject()) throw new InvalidManifest(path + ": expected {key, operator, value, effect}");
            unsupported(t, path, TOLERATION, ignored);
            String key = t.path("key").asText("");
            String operator = t.path("operator").asText(Toleration.EQUAL);
            String value = t.has("value") ? t.get("value").asText() : null;
            String effect = t.path("effect").asText("");
            if (!operator.equals(Toleration.EQUAL) && !operator.equals(Toleration.EXISTS)) {
                throw new InvalidManifest(path + ".operator: '" + operator + "' is not Equal or Exists");
            }
            if (operator.equals(Toleration.EXISTS) && value != null && !value.isEmpty()) {
                throw new InvalidManifest(path + ".value: must be empty when operator is Exists");
            }
            if (key.isEmpty() && operator.equals(Toleration.EQUAL)) {
                throw new InvalidManifest(path + ".key: required unless operator is Exists (which then tolerates every taint)");
            }
            if (!effect.isEmpty() && !effect.equals(Taint.NO_SCHEDULE)) {
                ignored.add(path + ": effect " + effect + " not supported by Berth (taints are NoSchedule only), ignored");
                continue;
            }
            out.add(new Toleration(key.isEmpty() ? null : key, operator,
                    operator.equals(Toleration.EXISTS) ? null : (value == null ? "" : value), effect.isEmpty() ? null : effect));
        }
        return out;
    }

    /**
     * containers[].ports: containerPort (required), name, protocol (TCP or UDP; SCTP is not supported),
     * hostPort; hostIP is ignored (a hostPort answers on every node address). Ranges, names and duplicates
     * are the controller's to judge, as the API server's validation would.
     */
    private static List<ContainerPort> ports(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return List.of();
        if (!n.isArray()) throw new InvalidManifest(at + ": expected a list, e.g. [{containerPort: 80, hostPort: 8080}]");
        List<ContainerPort> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode p = n.get(i);
            String path = at + "[" + i + "]";
            if (!p.isObject()) throw new InvalidManifest(path + ": expected {containerPort, name, protocol, hostPort}");
            unsupported(p, path, PORT, ignored);
            if (!p.path("containerPort").canConvertToInt() || !p.path("containerPort").isIntegralNumber()) {
                throw new InvalidManifest(path + ".containerPort: required, a port number (1-65535)");
            }
            JsonNode host = p.path("hostPort");
            if (!host.isMissingNode() && !host.isNull() && !(host.isIntegralNumber() && host.canConvertToInt())) {
                throw new InvalidManifest(path + ".hostPort: a port number (1-65535)");
            }
            String protocol = p.hasNonNull("protocol") ? p.get("protocol").asText() : ContainerPort.TCP;
            if (!ContainerPort.PROTOCOLS.contains(protocol)) {
                throw new InvalidManifest(path + ".protocol: '" + protocol + "' is not supported (TCP or UDP)");
            }
            out.add(new ContainerPort(p.get("containerPort").asInt(), p.hasNonNull("name") ? p.get("name").asText() : null,
                    protocol, host.asInt(0)));
        }
        return out;
    }

    private static Map<String, String> env(JsonNode n, String at, List<String> ignored) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : n) {
            if (!e.has("valueFrom")) env.put(e.path("name").asText(), e.path("value").asText(""));
        }
        return env;
    }
}
