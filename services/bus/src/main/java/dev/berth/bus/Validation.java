package dev.berth.bus;

import static dev.berth.bus.Limits.*;

import dev.berth.bus.contract.*;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Whether a decoded record may be processed: the rules of schemas/ (required fields, names, sizes,
 * counts, ranges; see {@link Limits}) checked on the Java records in a few microseconds, so every
 * consumer can check every record, internal ones as strictly as commands (the JSON Schema validator
 * costs ~100 µs a record). One entry point for all services: {@link #check(Envelope)} after decoding.
 * ContractSchemasTest keeps these rules and the schemas in agreement.
 */
public final class Validation {
    private Validation() {}

    private static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
    private static final Set<String> OPERATORS = Set.of(Toleration.EQUAL, Toleration.EXISTS);
    private static final Set<String> EFFECTS = Set.of(Taint.NO_SCHEDULE);
    private static final Set<String> SELECTOR_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");
    private static final Set<String> HPA_SELECT_POLICIES = Set.of(HpaScalingRules.MAX, HpaScalingRules.MIN, HpaScalingRules.DISABLED);
    private static final Set<String> CONDITION_STATUSES = Set.of("True", "False", "Unknown");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern INT_OR_PERCENT = Pattern.compile("[0-9]{1,9}%?");

    /** Throws with every problem found when the envelope or its payload breaks a rule. */
    public static void check(Envelope envelope) throws BadRecordException {
        List<String> problems = problems(envelope);
        if (!problems.isEmpty()) {
            String type = envelope == null ? null : envelope.type();
            List<String> bounded = boundedProblems(problems);
            // The reason names the first problems too: a dead letter's reader sees why without the list.
            String why = excerpt(String.join("; ", bounded.subList(0, Math.min(3, bounded.size()))), EXCERPT_MAX_CHARS);
            throw new BadRecordException(excerpt(type, TYPE_MAX_LENGTH) + " breaks its contract: " + why, bounded, type);
        }
    }

    /** Every problem of an envelope and its payload, as "/pointer: what is wrong"; empty when valid. */
    public static List<String> problems(Envelope envelope) {
        Checks c = new Checks("");
        if (envelope == null) return List.of("/: no envelope");
        c.matches("id", envelope.id(), ID, ID_MAX_LENGTH, "an id of printable ASCII without spaces");
        c.matches("type", envelope.type(), TYPE_NAME, TYPE_MAX_LENGTH, "a payload type name such as ApplyDeployment");
        if (envelope.version() < 1) c.add("version", "must be 1 or more, got " + envelope.version());
        c.required("time", envelope.time());
        c.text("source", envelope.source(), 1, SOURCE_MAX_LENGTH);
        if (envelope.correlationId() != null) {
            c.matches("correlationId", envelope.correlationId(), ID, ID_MAX_LENGTH, "an id of printable ASCII without spaces");
        }
        if (envelope.causationId() != null) {
            c.matches("causationId", envelope.causationId(), ID, ID_MAX_LENGTH, "an id of printable ASCII without spaces");
        }
        if (envelope.data() == null) c.add("data", "is required");
        else c.problems.addAll(problems(envelope.data(), "/data"));
        return c.problems;
    }

    /** Every problem of a payload; empty when valid. */
    public static List<String> problems(Payload payload) {
        return problems(payload, "");
    }

    /**
     * The size and count problems of a template, as "/template/field: problem" (command, args, env, selector,
     * tolerations, the whole template's size): for the controller, which says what the image, resources,
     * restart policy and grace period mean in its own words.
     */
    public static List<String> templateLimits(PodTemplate template) {
        Checks c = new Checks("");
        if (template != null) c.templateLimits("template", template);
        return c.problems;
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Payload payload, String at) {
        if (payload == null) return List.of((at.isEmpty() ? "/" : at) + ": no payload");
        BiConsumer<Payload, Checks> rules = (BiConsumer<Payload, Checks>) RULES.get(payload.getClass());
        if (rules == null) throw new IllegalStateException("no validation rules for " + payload.getClass().getSimpleName());
        Checks c = new Checks(at);
        rules.accept(payload, c);
        return c.problems;
    }

    private static final Map<Class<?>, BiConsumer<?, Checks>> RULES = new HashMap<>();

    private static <T extends Payload> void on(Class<T> type, BiConsumer<T, Checks> rules) {
        RULES.put(type, rules);
    }

    /** Whether every payload type has rules (a test asks; a type without any fails at its first record). */
    static boolean covers(Class<? extends Payload> type) { return RULES.containsKey(type); }

    static {
        on(ApplyDeployment.class, (p, c) -> c.deploymentSpec("deployment", p.deployment()));
        on(ScaleDeployment.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
            c.range("replicas", p.replicas(), 0, REPLICAS_MAX);
            c.optionalText("reason", p.reason(), TEXT_MAX_LENGTH);
        });
        on(DeleteDeployment.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
        });
        on(ApplyNamespace.class, (p, c) -> c.name("name", p.name()));
        on(DeleteNamespace.class, (p, c) -> c.name("name", p.name()));
        on(NamespaceApplied.class, (p, c) -> c.name("name", p.name()));
        on(NamespaceDeleted.class, (p, c) -> c.name("name", p.name()));
        on(ApplyService.class, (p, c) -> c.serviceSpec("service", p.service(), false));
        on(DeleteService.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
        });
        on(ServiceApplied.class, (p, c) -> c.serviceSpec("service", p.service(), true));
        on(ServiceDeleted.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
        });
        on(ApplyConfigMap.class, (p, c) -> c.configMap("configMap", p.configMap()));
        on(ConfigMapApplied.class, (p, c) -> c.configMap("configMap", p.configMap()));
        on(DeleteConfigMap.class, (p, c) -> c.objectKey(p.namespace(), p.name()));
        on(ConfigMapDeleted.class, (p, c) -> c.objectKey(p.namespace(), p.name()));
        on(ApplySecret.class, (p, c) -> c.secret("secret", p.secret()));
        on(SecretApplied.class, (p, c) -> c.secret("secret", p.secret()));
        on(DeleteSecret.class, (p, c) -> c.objectKey(p.namespace(), p.name()));
        on(SecretDeleted.class, (p, c) -> c.objectKey(p.namespace(), p.name()));
        on(Endpoints.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
            if (!ServiceSpec.TYPES.contains(p.type())) c.add("type", "must be ClusterIP or NodePort, got '" + excerpt(p.type(), 80) + "'");
            c.clusterIP("clusterIP", p.clusterIP());
            c.servicePorts("ports", p.ports(), ServiceSpec.NODE_PORT.equals(p.type())); // a ClusterIP Service has no nodePorts
            if (c.size("endpoints", p.endpoints(), ENDPOINTS_MAX_ITEMS)) {
                for (int i = 0; i < p.endpoints().size(); i++) {
                    EndpointAddress e = p.endpoints().get(i);
                    String at = "endpoints/" + i;
                    if (e == null) {
                        c.add(at, "must not be null");
                        continue;
                    }
                    c.name(at + "/pod", e.pod());
                    if (e.node() != null) c.node(at + "/node", e.node());
                    c.matches(at + "/ip", e.ip(), IPV4, 15, "an IPv4 address");
                    if (c.entries(at + "/targetPorts", e.targetPorts(), SERVICE_PORTS_MAX_ITEMS)) {
                        e.targetPorts().forEach((k, v) -> {
                            c.text(at + "/targetPorts", k, 0, PORT_NAME_MAX_LENGTH);
                            if (v == null) c.add(at + "/targetPorts/" + excerpt(k, 80), "is required");
                            else c.range(at + "/targetPorts/" + excerpt(k, 80), v, 1, 65535);
                        });
                    }
                }
            }
        });
        on(ProxyMetrics.class, (p, c) -> {
            c.node("node", p.node());
            c.required("at", p.at());
            if (c.size("services", p.services(), PROXY_METRICS_SERVICES_MAX_ITEMS)) {
                for (int i = 0; i < p.services().size(); i++) {
                    ServiceTraffic t = p.services().get(i);
                    String at = "services/" + i;
                    if (t == null) {
                        c.add(at, "must not be null");
                        continue;
                    }
                    c.name(at + "/name", t.name());
                    c.name(at + "/namespace", t.namespace());
                    for (long v : new long[] {t.connections(), t.activeConnections(), t.requests(), t.failedConnects(),
                            t.refused(), t.bytesIn(), t.bytesOut()}) {
                        if (v < 0) c.add(at, "counters must be 0 or more, got " + v);
                    }
                    if (c.size(at + "/endpoints", t.endpoints(), ENDPOINTS_MAX_ITEMS)) {
                        for (int j = 0; j < t.endpoints().size(); j++) {
                            EndpointTraffic e = t.endpoints().get(j);
                            String eat = at + "/endpoints/" + j;
                            if (e == null) {
                                c.add(eat, "must not be null");
                                continue;
                            }
                            c.name(eat + "/pod", e.pod());
                            c.matches(eat + "/ip", e.ip(), IPV4, 15, "an IPv4 address");
                            for (long v : new long[] {e.connections(), e.activeConnections(), e.requests()}) {
                                if (v < 0) c.add(eat, "counters must be 0 or more, got " + v);
                            }
                        }
                    }
                }
            }
        });
        on(NodeMetrics.class, (p, c) -> {
            c.node("node", p.node());
            c.required("at", p.at());
            c.range("windowMillis", p.windowMillis(), 0, Long.MAX_VALUE);
            c.range("cpuMillicores", p.cpuMillicores(), 0, CPU_MILLIS_MAX);
            c.range("memoryWorkingSetBytes", p.memoryWorkingSetBytes(), 0, MEMORY_BYTES_MAX);
            if (c.size("pods", p.pods(), METRICS_PODS_MAX_ITEMS)) {
                for (int i = 0; i < p.pods().size(); i++) c.podMetrics("pods/" + i, p.pods().get(i));
            }
        });
        on(ApplyHorizontalPodAutoscaler.class, (p, c) -> c.autoscalerSpec("autoscaler", p.autoscaler(), false));
        on(DeleteHorizontalPodAutoscaler.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
        });
        on(HorizontalPodAutoscalerApplied.class, (p, c) -> c.autoscalerSpec("autoscaler", p.autoscaler(), true));
        on(HorizontalPodAutoscalerDeleted.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
        });
        on(HorizontalPodAutoscalerStatus.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
            c.required("at", p.at());
            c.range("currentReplicas", p.currentReplicas(), 0, REPLICAS_MAX);
            c.range("desiredReplicas", p.desiredReplicas(), 0, REPLICAS_MAX);
            if (c.size("currentMetrics", p.currentMetrics(), HPA_METRICS_MAX_ITEMS)) {
                for (int i = 0; i < p.currentMetrics().size(); i++) c.metricStatus("currentMetrics/" + i, p.currentMetrics().get(i));
            }
            if (c.size("conditions", p.conditions(), HPA_CONDITIONS_MAX_ITEMS)) {
                for (int i = 0; i < p.conditions().size(); i++) c.hpaCondition("conditions/" + i, p.conditions().get(i));
            }
            c.optionalText("reason", p.reason(), TEXT_MAX_LENGTH);
        });
        on(CordonNode.class, (p, c) -> c.node("node", p.node()));
        on(UncordonNode.class, (p, c) -> c.node("node", p.node()));
        on(DrainNode.class, (p, c) -> c.node("node", p.node()));
        on(CommandAccepted.class, (p, c) -> {
            c.optionalText("commandId", p.commandId(), ID_MAX_LENGTH);
            c.optionalText("commandType", p.commandType(), TYPE_MAX_LENGTH);
            c.optionalText("target", p.target(), NODE_NAME_MAX_LENGTH);
            c.optionalText("message", p.message(), TEXT_MAX_LENGTH);
        });
        on(CommandRejected.class, (p, c) -> {
            c.text("commandId", p.commandId(), 0, ID_MAX_LENGTH);
            c.optionalText("commandType", p.commandType(), TYPE_MAX_LENGTH);
            c.optionalText("target", p.target(), NODE_NAME_MAX_LENGTH);
            c.text("reason", p.reason(), 1, TEXT_MAX_LENGTH);
            c.strings("problems", p.problems(), PROBLEMS_MAX_ITEMS, PROBLEM_MAX_LENGTH);
        });
        on(DeploymentApplied.class, (p, c) -> {
            c.deploymentSpec("deployment", p.deployment());
            c.range("generation", p.generation(), 1, Long.MAX_VALUE);
            c.range("revision", p.revision(), 0, Long.MAX_VALUE);
        });
        on(DeploymentStatusChanged.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
            c.range("observedGeneration", p.observedGeneration(), 0, Long.MAX_VALUE);
            c.range("revision", p.revision(), 0, Long.MAX_VALUE);
            int[] counts = {p.replicas(), p.updatedReplicas(), p.readyReplicas(), p.availableReplicas(), p.unavailableReplicas()};
            for (int n : counts) if (n < 0 || n > 2 * REPLICAS_MAX) c.add("replicas", "pod counts must be from 0 to " + 2 * REPLICAS_MAX + ", got " + n);
            if (c.size("conditions", p.conditions(), 2)) {
                for (int i = 0; i < p.conditions().size(); i++) {
                    DeploymentCondition d = p.conditions().get(i);
                    String at = "conditions/" + i;
                    if (d == null) {
                        c.add(at, "must not be null");
                        continue;
                    }
                    if (!List.of(DeploymentCondition.AVAILABLE, DeploymentCondition.PROGRESSING).contains(d.type())) {
                        c.add(at + "/type", "must be Available or Progressing, got '" + excerpt(d.type(), 80) + "'");
                    }
                    if (!CONDITION_STATUSES.contains(d.status())) c.add(at + "/status", "must be True, False or Unknown, got '" + excerpt(d.status(), 80) + "'");
                    c.optionalText(at + "/reason", d.reason(), TEXT_MAX_LENGTH);
                    c.optionalText(at + "/message", d.message(), TEXT_MAX_LENGTH);
                }
            }
        });
        on(PodUnhealthy.class, (p, c) -> {
            c.name("pod", p.pod());
            c.node("node", p.node());
            c.name("namespace", p.namespace());
            if (!List.of(PodUnhealthy.LIVENESS, PodUnhealthy.READINESS, PodUnhealthy.STARTUP).contains(p.probe())) {
                c.add("probe", "must be Liveness, Readiness or Startup, got '" + excerpt(p.probe(), 80) + "'");
            }
            c.text("message", p.message(), 1, TEXT_MAX_LENGTH);
            c.range("count", p.count(), 1, Integer.MAX_VALUE);
        });
        on(ContainerLogs.class, (p, c) -> {
            c.name("pod", p.pod());
            c.name("namespace", p.namespace());
            c.node("node", p.node());
            c.text("container", p.container(), 1, CONTAINER_NAME_MAX_LENGTH);
            c.range("restartCount", p.restartCount(), 0, Integer.MAX_VALUE);
            c.range("dropped", p.dropped(), 0, Long.MAX_VALUE);
            if (c.size("lines", p.lines(), LOG_LINES_MAX_ITEMS)) {
                for (int i = 0; i < p.lines().size(); i++) {
                    LogLine l = p.lines().get(i);
                    String at = "lines/" + i;
                    if (l == null) {
                        c.add(at, "must not be null");
                        continue;
                    }
                    c.required(at + "/time", l.time());
                    if (!LogLine.STDOUT.equals(l.stream()) && !LogLine.STDERR.equals(l.stream())) {
                        c.add(at + "/stream", "must be stdout or stderr, got '" + excerpt(l.stream(), 80) + "'");
                    }
                    c.text(at + "/text", l.text(), 0, LOG_LINE_MAX_LENGTH);
                }
            }
        });
        on(DeploymentScaled.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
            c.range("replicas", p.replicas(), 0, REPLICAS_MAX);
            c.range("generation", p.generation(), 1, Long.MAX_VALUE);
            c.optionalText("reason", p.reason(), TEXT_MAX_LENGTH);
        });
        on(DeploymentDeleted.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
            c.range("generation", p.generation(), 1, Long.MAX_VALUE);
        });
        on(ApplyJob.class, (p, c) -> c.jobSpec("job", p.job()));
        on(DeleteJob.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
        });
        on(JobApplied.class, (p, c) -> {
            c.jobSpec("job", p.job());
            c.text("uid", p.uid(), 1, 64);
            c.range("generation", p.generation(), 1, Long.MAX_VALUE);
        });
        on(JobDeleted.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
            c.optionalText("reason", p.reason(), TEXT_MAX_LENGTH);
        });
        on(JobStatusChanged.class, (p, c) -> {
            c.name("name", p.name());
            c.name("namespace", p.namespace());
            for (int n : new int[] {p.active(), p.succeeded()}) c.range("active", n, 0, JOB_COMPLETIONS_MAX);
            c.range("failed", p.failed(), 0, Integer.MAX_VALUE);
            if (c.size("conditions", p.conditions(), 2)) {
                for (int i = 0; i < p.conditions().size(); i++) {
                    JobCondition d = p.conditions().get(i);
                    String at = "conditions/" + i;
                    if (d == null) {
                        c.add(at, "must not be null");
                        continue;
                    }
                    if (!List.of(JobCondition.COMPLETE, JobCondition.FAILED).contains(d.type())) {
                        c.add(at + "/type", "must be Complete or Failed, got '" + excerpt(d.type(), 80) + "'");
                    }
                    if (!CONDITION_STATUSES.contains(d.status())) c.add(at + "/status", "must be True, False or Unknown, got '" + excerpt(d.status(), 80) + "'");
                    c.optionalText(at + "/reason", d.reason(), TEXT_MAX_LENGTH);
                    c.optionalText(at + "/message", d.message(), TEXT_MAX_LENGTH);
                }
            }
        });
        on(PodCreated.class, (p, c) -> {
            c.ownerKind("ownerKind", p.ownerKind());
            c.name("pod", p.pod());
            c.name("deployment", p.deployment());
            c.name("namespace", p.namespace());
            c.range("generation", p.generation(), 1, Long.MAX_VALUE);
            c.range("revision", p.revision(), 0, Long.MAX_VALUE);
            c.template("template", p.template());
        });
        on(PodDeletionRequested.class, (p, c) -> {
            c.ownerKind("ownerKind", p.ownerKind());
            c.name("pod", p.pod());
            c.name("deployment", p.deployment());
            c.name("namespace", p.namespace());
            c.optionalText("reason", p.reason(), TEXT_MAX_LENGTH);
        });
        on(PodPlaced.class, (p, c) -> {
            c.name("pod", p.pod());
            c.node("node", p.node());
            c.name("deployment", p.deployment());
            c.name("namespace", p.namespace());
            c.template("template", p.template());
            c.range("nodesConsidered", p.nodesConsidered(), 0, Long.MAX_VALUE);
            if (p.nodesKnown() != null) c.range("nodesKnown", p.nodesKnown(), 0, Long.MAX_VALUE);
            c.counts("filtered", p.filtered());
            if (c.size("topCandidates", p.topCandidates(), CANDIDATES_MAX_ITEMS)) {
                for (int i = 0; i < p.topCandidates().size(); i++) {
                    PodPlaced.NodeScore s = p.topCandidates().get(i);
                    String at = "topCandidates/" + i;
                    if (s == null) {
                        c.add(at, "must not be null");
                        continue;
                    }
                    c.node(at + "/node", s.node());
                    if (c.entries(at + "/scores", s.scores(), EXPLANATION_MAX_ENTRIES)) {
                        for (String k : s.scores().keySet()) c.text(at + "/scores", k, 0, EXPLANATION_KEY_MAX_LENGTH);
                    }
                }
            }
        });
        on(PodReleased.class, (p, c) -> {
            c.name("pod", p.pod());
            c.node("node", p.node());
            c.optionalText("reason", p.reason(), TEXT_MAX_LENGTH);
        });
        on(PodUnschedulable.class, (p, c) -> {
            c.name("pod", p.pod());
            c.name("deployment", p.deployment());
            c.text("message", p.message(), 1, TEXT_MAX_LENGTH);
            c.range("nodesConsidered", p.nodesConsidered(), 0, Long.MAX_VALUE);
            c.counts("filtered", p.filtered());
        });
        on(PodLost.class, (p, c) -> {
            c.ownerKind("ownerKind", p.ownerKind());
            c.name("pod", p.pod());
            c.name("deployment", p.deployment());
            c.name("namespace", p.namespace());
            c.node("node", p.node());
            c.optionalText("reason", p.reason(), TEXT_MAX_LENGTH);
        });
        on(PodStatusChanged.class, (p, c) -> {
            for (var statuses : List.of(p.containerStatuses(), p.initContainerStatuses())) {
                if (!c.size("containerStatuses", statuses, CONTAINERS_MAX_ITEMS)) continue;
                for (int i = 0; i < statuses.size(); i++) {
                    ContainerStatus cs = statuses.get(i);
                    if (cs == null) { c.add("containerStatuses/" + i, "must not be null"); continue; }
                    c.name("containerStatuses/" + i + "/name", cs.name());
                    c.required("containerStatuses/" + i + "/state", cs.state());
                    c.optionalText("containerStatuses/" + i + "/reason", cs.reason(), TEXT_MAX_LENGTH);
                    if (cs.image() != null) c.image("containerStatuses/" + i + "/image", cs.image());
                    if (cs.imageID() != null) c.image("containerStatuses/" + i + "/imageID", cs.imageID());
                    c.range("containerStatuses/" + i + "/restartCount", cs.restartCount(), 0, Long.MAX_VALUE);
                }
            }
            c.name("pod", p.pod());
            c.node("node", p.node());
            c.required("state", p.state());
            c.optionalText("reason", p.reason(), TEXT_MAX_LENGTH);
            c.optionalText("message", p.message(), TEXT_MAX_LENGTH);
            c.range("restartCount", p.restartCount(), 0, Long.MAX_VALUE);
            if (p.imageID() != null) c.image("imageID", p.imageID());
            if (p.podIP() != null) c.matches("podIP", p.podIP(), IPV4, 15, "an IPv4 address");
        });
        on(NodeHeartbeat.class, (p, c) -> {
            c.node("node", p.node());
            c.nodeResources("capacity", p.capacity());
            c.nodeResources("allocatable", p.allocatable());
            if (c.size("images", p.images(), NODE_IMAGES_MAX_ITEMS)) {
                for (int i = 0; i < p.images().size(); i++) c.image("images/" + i, p.images().get(i));
            }
            if (c.size("pods", p.pods(), NODE_PODS_MAX_ITEMS)) {
                for (int i = 0; i < p.pods().size(); i++) c.name("pods/" + i, p.pods().get(i));
            }
            c.range("sequence", p.sequence(), 0, Long.MAX_VALUE);
            c.labels("labels", p.labels());
            if (c.size("taints", p.taints(), TAINTS_MAX_ITEMS)) {
                for (int i = 0; i < p.taints().size(); i++) c.taint("taints/" + i, p.taints().get(i));
            }
            if (c.size("containerImages", p.containerImages(), NODE_CONTAINER_IMAGES_MAX_ITEMS)) {
                for (int i = 0; i < p.containerImages().size(); i++) c.containerImage("containerImages/" + i, p.containerImages().get(i));
            }
        });
        on(NodeStatusChanged.class, (p, c) -> {
            c.node("node", p.node());
            c.required("condition", p.condition());
            c.optionalText("reason", p.reason(), TEXT_MAX_LENGTH);
            if (p.podCIDR() != null) c.matches("podCIDR", p.podCIDR(), IPV4_CIDR, 18, "an IPv4 CIDR such as 10.244.1.0/24");
        });
        on(PodIntruderFound.class, (p, c) -> {
            c.node("node", p.node());
            c.name("pod", p.pod());
            if (!PodIntruderFound.BY_PLACEMENT.equals(p.seen()) && !PodIntruderFound.BY_STATUS.equals(p.seen())) {
                c.add("seen", "must be placement or status");
            }
            c.text("reason", p.reason(), 1, TEXT_MAX_LENGTH);
        });
        on(SchedulingStep.class, (p, c) -> {
            c.text("incarnation", p.incarnation(), 1, ID_MAX_LENGTH);
            c.range("sequence", p.sequence(), 1, Long.MAX_VALUE);
            c.optionalText("trigger", p.trigger(), EXPLANATION_KEY_MAX_LENGTH);
            c.offsets("advanced", p.advanced());
            if (p.start() != null) {
                c.offsets("start/rebuiltTo", p.start().rebuiltTo());
                c.offsets("start/heartbeatsFrom", p.start().heartbeatsFrom());
                c.required("start/holdUntil", p.start().holdUntil());
                c.text("start/policy", p.start().policy(), 0, TYPE_MAX_LENGTH);
            }
            c.strings("decisions", p.decisions(), STEP_DECISIONS_MAX_ITEMS, STEP_DECISION_MAX_LENGTH);
        });
    }

    /**
     * An upper bound of a template's JSON size: each character takes at most 6 bytes (an escaped control character),
     * each string adds quotes and a separator, and the field names, numbers and punctuation fit in 512.
     */
    static long jsonBytesAtMost(PodTemplate t) {
        long n = 512 + strings(t.restartPolicy());
        for (Map.Entry<String, String> e : t.nodeSelector().entrySet()) n += strings(e.getKey()) + strings(e.getValue());
        for (Map.Entry<String, String> e : t.labels().entrySet()) n += strings(e.getKey()) + strings(e.getValue());
        for (Toleration o : t.tolerations()) n += 64 + strings(o.key()) + strings(o.operator()) + strings(o.value()) + strings(o.effect());
        for (Map.Entry<String, String> e : t.annotations().entrySet()) n += strings(e.getKey()) + strings(e.getValue());
        for (Container c : t.allContainers()) if (c != null) n += jsonBytesAtMost(c);
        return n;
    }

    private static long jsonBytesAtMost(Container t) {
        long n = 512 + strings(t.name()) + strings(t.image()) + strings(t.imagePullPolicy());
        for (String s : t.command()) n += strings(s);
        for (String s : t.args()) n += strings(s);
        for (Map.Entry<String, String> e : t.env().entrySet()) n += strings(e.getKey()) + strings(e.getValue());
        for (ResourceList l : List.of(t.resources().requests(), t.resources().limits())) {
            for (String name : l.extended().keySet()) n += strings(name) + 24;
        }
        for (ContainerPort p : t.ports()) n += 96 + strings(p == null ? null : p.name()) + strings(p == null ? null : p.protocol());
        n += strings(t.workingDir()) + 128;
        for (Probe r : new Probe[] {t.readinessProbe(), t.livenessProbe(), t.startupProbe()}) {
            if (r == null) continue;
            n += 256;
            if (r.httpGet() != null) n += strings(r.httpGet().path()) + strings(r.httpGet().portName()) + strings(r.httpGet().host()) + strings(r.httpGet().scheme());
            if (r.tcpSocket() != null) n += strings(r.tcpSocket().portName()) + strings(r.tcpSocket().host());
            if (r.exec() != null) for (String a : r.exec().command()) n += strings(a);
        }
        return n;
    }

    private static long strings(String s) {
        return s == null ? 0 : 6L * s.length() + 4;
    }

    /** Collects "/pointer: problem" sentences under one location. */
    private static final class Checks {
        final String at;
        final List<String> problems = new ArrayList<>();

        Checks(String at) {
            this.at = at;
        }

        void add(String field, String problem) {
            problems.add(at + "/" + field + ": " + problem);
        }

        void required(String field, Object value) {
            if (value == null) add(field, "is required");
        }

        /** A required string of minLength..maxLength characters. */
        void text(String field, String value, int min, int max) {
            if (value == null) add(field, "is required");
            else length(field, value, min, max);
        }

        void optionalText(String field, String value, int max) {
            if (value != null) length(field, value, 0, max);
        }

        private boolean length(String field, String value, int min, int max) {
            if (value.length() > max) {
                add(field, "is " + value.length() + " characters long, at most " + max + " are allowed");
                return false;
            }
            if (value.length() < min) {
                add(field, min == 1 ? "must not be empty" : "must be at least " + min + " characters long");
                return false;
            }
            return true;
        }

        void matches(String field, String value, Pattern pattern, int max, String what) {
            if (value == null) add(field, "is required");
            else if (length(field, value, 1, max) && !pattern.matcher(value).matches()) {
                add(field, "'" + excerpt(value, 80) + "' is not " + what);
            }
        }

        void name(String field, String value) {
            matches(field, value, DNS_LABEL, NAME_MAX_LENGTH, "a DNS-1123 label (lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit)");
        }

        void objectName(String field, String value) {
            matches(field, value, DNS_SUBDOMAIN, OBJECT_NAME_MAX_LENGTH, "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')");
        }

        void objectKey(String namespace, String name) {
            name("namespace", namespace);
            objectName("name", name);
        }

        void configMap(String field, ConfigMapSpec m) {
            if (m == null) {
                add(field, "is required");
                return;
            }
            name(field + "/namespace", m.namespace());
            objectName(field + "/name", m.name());
            labels(field + "/labels", m.labels());
            long chars = configValues(field + "/data", m.data(), null) + configValues(field + "/binaryData", m.binaryData(), BASE64);
            for (String k : m.binaryData().keySet()) {
                if (m.data().containsKey(k)) add(field + "/binaryData/" + excerpt(k, 80), "duplicate of a key in data");
            }
            if (m.size() > CONFIG_KEYS_MAX_ENTRIES) add(field, "has " + m.size() + " keys, at most " + CONFIG_KEYS_MAX_ENTRIES + " are allowed");
            configSize(field, chars);
        }

        void secret(String field, SecretSpec s) {
            if (s == null) {
                add(field, "is required");
                return;
            }
            name(field + "/namespace", s.namespace());
            objectName(field + "/name", s.name());
            matches(field + "/type", s.type(), IMAGE, SECRET_TYPE_MAX_LENGTH, "a Secret type (no white space)");
            labels(field + "/labels", s.labels());
            configSize(field, configValues(field + "/data", s.data(), BASE64));
        }

        /** Checks keys and (never echoing them: they may be secret) values; the values' total length. */
        private long configValues(String field, Map<String, String> values, Pattern encoding) {
            if (!entries(field, values, CONFIG_KEYS_MAX_ENTRIES)) return 0;
            long chars = 0;
            for (var e : values.entrySet()) {
                matches(field, e.getKey(), CONFIG_KEY, CONFIG_KEY_MAX_LENGTH, "a valid key (letters, digits, '-', '_' or '.')");
                String at = field + "/" + excerpt(e.getKey(), 80);
                if (e.getValue() == null) add(at, "is required");
                else {
                    chars += e.getValue().length();
                    if (encoding != null && (e.getValue().length() % 4 != 0 || !encoding.matcher(e.getValue()).matches())) {
                        add(at, "is not valid base64");
                    }
                }
            }
            return chars;
        }

        private void configSize(String field, long chars) {
            if (chars > CONFIG_DATA_MAX_CHARS) {
                add(field, "values are " + chars + " characters in all, at most " + CONFIG_DATA_MAX_CHARS + " are allowed");
            }
        }

        void node(String field, String value) {
            matches(field, value, DNS_SUBDOMAIN, NODE_NAME_MAX_LENGTH, "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')");
        }

        void image(String field, String value) {
            matches(field, value, IMAGE, IMAGE_MAX_LENGTH, "an image reference (no white space)");
        }

        void containerImage(String field, ContainerImage image) {
            if (image == null) {
                add(field, "is required");
                return;
            }
            if (size(field + "/names", image.names(), CONTAINER_IMAGE_NAMES_MAX_ITEMS)) {
                for (int i = 0; i < image.names().size(); i++) image(field + "/names/" + i, image.names().get(i));
            }
            range(field + "/sizeBytes", image.sizeBytes(), 0, Long.MAX_VALUE);
        }

        void podMetrics(String field, PodMetrics m) {
            if (m == null) {
                add(field, "must not be null");
                return;
            }
            name(field + "/namespace", m.namespace());
            name(field + "/pod", m.pod());
            if (m.deployment() != null) name(field + "/deployment", m.deployment());
            if (size(field + "/containers", m.containers(), METRICS_CONTAINERS_MAX_ITEMS)) {
                for (int i = 0; i < m.containers().size(); i++) {
                    ContainerMetrics cm = m.containers().get(i);
                    String at = field + "/containers/" + i;
                    if (cm == null) {
                        add(at, "must not be null");
                        continue;
                    }
                    text(at + "/name", cm.name(), 1, CONTAINER_NAME_MAX_LENGTH);
                    range(at + "/cpuMillicores", cm.cpuMillicores(), 0, CPU_MILLIS_MAX);
                    range(at + "/memoryWorkingSetBytes", cm.memoryWorkingSetBytes(), 0, MEMORY_BYTES_MAX);
                }
            }
        }

        /** An autoscaler's spec; {@code defaulted}: as the controller stored it, minReplicas and behaviour filled in. */
        void autoscalerSpec(String field, HorizontalPodAutoscalerSpec s, boolean defaulted) {
            if (s == null) {
                add(field, "is required");
                return;
            }
            name(field + "/name", s.name());
            name(field + "/namespace", s.namespace());
            ScaleTargetRef ref = s.scaleTargetRef();
            if (ref == null) add(field + "/scaleTargetRef", "is required");
            else {
                if (!ScaleTargetRef.DEPLOYMENT.equals(ref.kind())) {
                    add(field + "/scaleTargetRef/kind", "must be Deployment, got '" + excerpt(ref.kind(), 80) + "'");
                }
                optionalText(field + "/scaleTargetRef/apiVersion", ref.apiVersion(), NAME_MAX_LENGTH);
                name(field + "/scaleTargetRef/name", ref.name());
            }
            if (defaulted) required(field + "/minReplicas", s.minReplicas());
            int min = s.minReplicasOrDefault();
            range(field + "/minReplicas", min, 1, REPLICAS_MAX);
            range(field + "/maxReplicas", s.maxReplicas(), 1, REPLICAS_MAX);
            if (s.maxReplicas() < min) add(field + "/maxReplicas", "must be at least minReplicas (" + min + "), got " + s.maxReplicas());
            if (defaulted && s.metrics().isEmpty()) add(field + "/metrics", "must not be empty");
            if (size(field + "/metrics", s.metrics(), HPA_METRICS_MAX_ITEMS)) {
                for (int i = 0; i < s.metrics().size(); i++) metricSpec(field + "/metrics/" + i, s.metrics().get(i));
            }
            if (defaulted) required(field + "/behavior", s.behavior());
            if (s.behavior() != null) {
                scalingRules(field + "/behavior/scaleUp", s.behavior().scaleUp(), defaulted);
                scalingRules(field + "/behavior/scaleDown", s.behavior().scaleDown(), defaulted);
            }
        }

        void metricSpec(String field, MetricSpec m) {
            if (m == null) {
                add(field, "must not be null");
                return;
            }
            metricName(field, m.type(), m.name());
            MetricTarget t = m.target();
            if (t == null) {
                add(field + "/target", "is required");
                return;
            }
            if (MetricTarget.UTILIZATION.equals(t.type())) {
                if (!MetricSpec.RESOURCE.equals(m.type())) add(field + "/target/type", "Utilization is only for Resource metrics");
                if (t.averageUtilization() == null) add(field + "/target/averageUtilization", "is required for Utilization");
                else range(field + "/target/averageUtilization", t.averageUtilization(), 1, UTILIZATION_MAX_PERCENT);
            } else if (MetricTarget.AVERAGE_VALUE.equals(t.type())) {
                if (t.averageValueMilli() == null) add(field + "/target/averageValue", "is required for AverageValue");
                else range(field + "/target/averageValue", t.averageValueMilli(), 1, Long.MAX_VALUE);
            } else {
                add(field + "/target/type", "must be Utilization or AverageValue, got '" + excerpt(t.type(), 80) + "'");
            }
        }

        void metricStatus(String field, MetricStatus m) {
            if (m == null) {
                add(field, "must not be null");
                return;
            }
            metricName(field, m.type(), m.name());
            if (m.averageUtilization() != null) range(field + "/averageUtilization", m.averageUtilization(), 0, Integer.MAX_VALUE);
            if (m.averageValueMilli() != null) range(field + "/averageValue", m.averageValueMilli(), 0, Long.MAX_VALUE);
        }

        private void metricName(String field, String type, String name) {
            if (MetricSpec.RESOURCE.equals(type)) {
                if (!MetricSpec.CPU.equals(name) && !MetricSpec.MEMORY.equals(name)) {
                    add(field + "/name", "a Resource metric must be cpu or memory, got '" + excerpt(name, 80) + "'");
                }
            } else if (MetricSpec.PODS.equals(type)) {
                matches(field + "/name", name, METRIC_NAME, METRIC_NAME_MAX_LENGTH, "a metric name (letters, digits, '_' and ':')");
            } else {
                add(field + "/type", "must be Resource or Pods, got '" + excerpt(type, 80) + "'");
            }
        }

        void scalingRules(String field, HpaScalingRules r, boolean defaulted) {
            if (r == null) {
                if (defaulted) add(field, "is required");
                return;
            }
            if (r.stabilizationWindowSeconds() != null) {
                range(field + "/stabilizationWindowSeconds", r.stabilizationWindowSeconds(), 0, HPA_WINDOW_MAX_SECONDS);
            } else if (defaulted) add(field + "/stabilizationWindowSeconds", "is required");
            if (r.selectPolicy() != null && !HPA_SELECT_POLICIES.contains(r.selectPolicy())) {
                add(field + "/selectPolicy", "must be Max, Min or Disabled, got '" + excerpt(r.selectPolicy(), 80) + "'");
            }
            if (defaulted && (r.policies() == null || r.policies().isEmpty())) add(field + "/policies", "must not be empty");
            if (size(field + "/policies", r.policies(), HPA_POLICIES_MAX_ITEMS)) {
                for (int i = 0; i < r.policies().size(); i++) {
                    HpaScalingPolicy p = r.policies().get(i);
                    String at = field + "/policies/" + i;
                    if (p == null) {
                        add(at, "must not be null");
                        continue;
                    }
                    if (!HpaScalingPolicy.PODS.equals(p.type()) && !HpaScalingPolicy.PERCENT.equals(p.type())) {
                        add(at + "/type", "must be Pods or Percent, got '" + excerpt(p.type(), 80) + "'");
                    }
                    range(at + "/value", p.value(), 1, Integer.MAX_VALUE);
                    range(at + "/periodSeconds", p.periodSeconds(), 1, HPA_PERIOD_MAX_SECONDS);
                }
            }
        }

        void hpaCondition(String field, HpaCondition h) {
            if (h == null) {
                add(field, "must not be null");
                return;
            }
            text(field + "/type", h.type(), 1, TYPE_MAX_LENGTH);
            if (!CONDITION_STATUSES.contains(h.status())) add(field + "/status", "must be True, False or Unknown, got '" + excerpt(h.status(), 80) + "'");
            optionalText(field + "/reason", h.reason(), TYPE_MAX_LENGTH);
            optionalText(field + "/message", h.message(), TEXT_MAX_LENGTH);
        }

        void range(String field, long value, long min, long max) {
            if (value < min || value > max) {
                add(field, max == Long.MAX_VALUE ? "must be " + min + " or more, got " + value
                        : "must be between " + min + " and " + max + ", got " + value);
            }
        }

        /** Whether the collection is present and within its count (then its items are worth checking). */
        boolean size(String field, Collection<?> items, int max) {
            if (items == null) return false;
            if (items.size() > max) {
                add(field, "has " + items.size() + " items, at most " + max + " are allowed");
                return false;
            }
            return true;
        }

        boolean entries(String field, Map<?, ?> map, int max) {
            if (map == null) return false;
            if (map.size() > max) {
                add(field, "has " + map.size() + " entries, at most " + max + " are allowed");
                return false;
            }
            return true;
        }

        void strings(String field, List<String> items, int maxItems, int maxLength) {
            if (!size(field, items, maxItems)) return;
            for (int i = 0; i < items.size(); i++) text(field + "/" + i, items.get(i), 0, maxLength);
        }

        void counts(String field, Map<String, Integer> counts) {
            if (!entries(field, counts, EXPLANATION_MAX_ENTRIES)) return;
            counts.forEach((k, v) -> {
                text(field, k, 0, EXPLANATION_KEY_MAX_LENGTH);
                if (v == null || v < 0) add(field + "/" + excerpt(k, 80), "must be 0 or more");
            });
        }

        void offsets(String field, Map<String, Long> offsets) {
            if (!entries(field, offsets, STEP_PARTITIONS_MAX_ENTRIES)) return;
            offsets.forEach((k, v) -> {
                text(field, k, 0, EXPLANATION_KEY_MAX_LENGTH);
                if (v == null || v < 0) add(field + "/" + excerpt(k, 80), "must be 0 or more");
            });
        }

        void labels(String field, Map<String, String> labels) {
            if (!entries(field, labels, LABELS_MAX_ENTRIES)) return;
            labels.forEach((k, v) -> {
                matches(field, k, LABEL_KEY, LABEL_KEY_MAX_LENGTH, "a label key (an optional DNS prefix and '/', then a name of "
                        + "at most 63 letters, digits, '-', '_' or '.')");
                String at = field + "/" + excerpt(k, 80);
                if (v == null) add(at, "is required");
                else if (length(at, v, 0, LABEL_VALUE_MAX_LENGTH) && !LABEL_VALUE.matcher(v).matches()) {
                    add(at, "'" + excerpt(v, 80) + "' is not a label value (letters, digits, '-', '_' or '.', starting and ending alphanumeric)");
                }
            });
        }

        void taint(String field, Taint t) {
            if (t == null) {
                add(field, "must not be null");
                return;
            }
            matches(field + "/key", t.key(), LABEL_KEY, LABEL_KEY_MAX_LENGTH, "a label key");
            labelValue(field + "/value", t.value());
            if (!EFFECTS.contains(t.effect())) add(field + "/effect", "must be NoSchedule, got '" + excerpt(t.effect(), 80) + "'");
        }

        /** Kubernetes' rules for containers[].ports: ranges, IANA_SVC_NAME names unique in the pod, one hostPort per protocol. */
        void ports(String field, List<ContainerPort> ports) {
            ports(field, ports, new java.util.HashSet<>(), new java.util.HashSet<>());
        }

        /** {@link #ports} with the names and hostPorts the pod's other containers already took. */
        void ports(String field, List<ContainerPort> ports, Set<String> names, Set<String> hostPorts) {
            for (int i = 0; i < ports.size(); i++) {
                ContainerPort p = ports.get(i);
                String at = field + "/" + i;
                if (p == null) {
                    add(at, "is required");
                    continue;
                }
                range(at + "/containerPort", p.containerPort(), 1, 65535);
                range(at + "/hostPort", p.hostPort(), 0, 65535);
                if (!ContainerPort.PROTOCOLS.contains(p.protocol())) {
                    add(at + "/protocol", "must be TCP or UDP, got '" + excerpt(p.protocol(), 80) + "'");
                }
                if (p.name() != null && portName(at + "/name", p.name()) && !names.add(p.name())) {
                    add(at + "/name", "Duplicate value: \"" + p.name() + "\"");
                }
                if (p.hostPort() > 0 && !hostPorts.add(p.hostPort() + "/" + p.protocol())) {
                    add(at + "/hostPort", "Duplicate value: \"" + p.hostPort() + "/" + p.protocol() + "\"");
                }
            }
        }

        void serviceSpec(String field, ServiceSpec s, boolean allocated) {
            if (s == null) {
                add(field, "is required");
                return;
            }
            name(field + "/name", s.name());
            name(field + "/namespace", s.namespace());
            if (!ServiceSpec.TYPES.contains(s.type())) {
                add(field + "/type", "Unsupported value: \"" + excerpt(s.type(), 80) + "\": supported values: \"ClusterIP\", \"NodePort\"");
            }
            if (s.clusterIP() != null || allocated) clusterIP(field + "/clusterIP", s.clusterIP());
            labels(field + "/selector", s.selector());
            labels(field + "/labels", s.labels());
            servicePorts(field + "/ports", s.ports(), allocated && s.nodePorts());
            if (!s.nodePorts()) {
                for (int i = 0; i < s.ports().size(); i++) {
                    ServicePort p = s.ports().get(i);
                    if (p != null && p.nodePort() != 0) add(field + "/ports/" + i + "/nodePort", "may not be used when `type` is 'ClusterIP'");
                }
            }
        }

        void clusterIP(String field, String ip) {
            if (ServiceSpec.HEADLESS.equals(ip)) return;
            matches(field, ip, IPV4, 15, "a valid IP address (or None)");
        }

        /** Kubernetes' rules for spec.ports: at least one, names required and unique when several, ranges, one port+protocol once. */
        void servicePorts(String field, List<ServicePort> ports, boolean nodePortsAllocated) {
            if (ports == null || ports.isEmpty()) {
                add(field, "Required value");
                return;
            }
            if (!size(field, ports, SERVICE_PORTS_MAX_ITEMS)) return;
            Set<String> names = new java.util.HashSet<>();
            Set<String> ports2 = new java.util.HashSet<>();
            Set<String> nodePorts = new java.util.HashSet<>();
            for (int i = 0; i < ports.size(); i++) {
                ServicePort p = ports.get(i);
                String at = field + "/" + i;
                if (p == null) {
                    add(at, "is required");
                    continue;
                }
                if (p.name() == null) {
                    if (ports.size() > 1) add(at + "/name", "Required value");
                } else if (portName(at + "/name", p.name()) && !names.add(p.name())) {
                    add(at + "/name", "Duplicate value: \"" + p.name() + "\"");
                }
                if (!ContainerPort.PROTOCOLS.contains(p.protocol())) {
                    add(at + "/protocol", "Unsupported value: \"" + excerpt(p.protocol(), 80) + "\": supported values: \"TCP\", \"UDP\"");
                }
                range(at + "/port", p.port(), 1, 65535);
                range(at + "/targetPort", p.targetPort(), 0, 65535);
                if (p.targetPortName() != null) {
                    if (p.targetPort() != 0) add(at + "/targetPort", "a number and a name cannot both be given");
                    portName(at + "/targetPort", p.targetPortName());
                }
                if (p.nodePort() != 0 || nodePortsAllocated) {
                    range(at + "/nodePort", p.nodePort(), NODE_PORT_MIN, NODE_PORT_MAX);
                    if (p.nodePort() != 0 && !nodePorts.add(p.nodePort() + "/" + p.protocol())) {
                        add(at + "/nodePort", "Duplicate value: \"" + p.nodePort() + "\"");
                    }
                }
                if (!ports2.add(p.port() + "/" + p.protocol())) {
                    add(at, "Duplicate value: {\"port\": " + p.port() + ", \"protocol\": \"" + p.protocol() + "\"}");
                }
                optionalText(at + "/appProtocol", p.appProtocol(), LABEL_KEY_MAX_LENGTH);
            }
        }

        /** An IANA_SVC_NAME, as a container port's or a Service port's name; whether it was one. */
        boolean portName(String field, String n) {
            if (n.length() > PORT_NAME_MAX_LENGTH || !PORT_NAME.matcher(n).matches() || n.contains("--")
                    || n.chars().noneMatch(ch -> ch >= 'a' && ch <= 'z')) {
                add(field, "must be an IANA_SVC_NAME (at most 15 lower-case letters, digits and '-', with a letter, no '--', not starting or ending with '-'), got '" + excerpt(n, 80) + "'");
                return false;
            }
            return true;
        }

        void probe(String field, Probe p) {
            int actions = (p.httpGet() != null ? 1 : 0) + (p.tcpSocket() != null ? 1 : 0) + (p.exec() != null ? 1 : 0);
            if (actions != 1) add(field, "must specify exactly one of httpGet, tcpSocket or exec, got " + actions);
            if (p.httpGet() != null) {
                probePort(field + "/httpGet", p.httpGet().port(), p.httpGet().portName());
                text(field + "/httpGet/path", p.httpGet().path(), 1, PROBE_PATH_MAX_LENGTH);
                if (!p.httpGet().path().startsWith("/")) add(field + "/httpGet/path", "must start with '/'");
                if (!p.httpGet().scheme().equals("HTTP") && !p.httpGet().scheme().equals("HTTPS")) {
                    add(field + "/httpGet/scheme", "Unsupported value: \"" + excerpt(p.httpGet().scheme(), 80) + "\": supported values: \"HTTP\", \"HTTPS\"");
                }
                if (p.httpGet().host() != null) matches(field + "/httpGet/host", p.httpGet().host(), IPV4, 15, "an IPv4 address");
            }
            if (p.tcpSocket() != null) {
                probePort(field + "/tcpSocket", p.tcpSocket().port(), p.tcpSocket().portName());
                if (p.tcpSocket().host() != null) matches(field + "/tcpSocket/host", p.tcpSocket().host(), IPV4, 15, "an IPv4 address");
            }
            if (p.exec() != null) {
                if (p.exec().command().isEmpty()) add(field + "/exec/command", "Required value");
                strings(field + "/exec/command", p.exec().command(), COMMAND_MAX_ITEMS, ARG_MAX_LENGTH);
            }
            range(field + "/initialDelaySeconds", p.initialDelaySeconds(), 0, PROBE_SECONDS_MAX);
            range(field + "/periodSeconds", p.periodSeconds(), 1, PROBE_SECONDS_MAX);
            range(field + "/timeoutSeconds", p.timeoutSeconds(), 1, PROBE_SECONDS_MAX);
            range(field + "/successThreshold", p.successThreshold(), 1, PROBE_THRESHOLD_MAX);
            range(field + "/failureThreshold", p.failureThreshold(), 1, PROBE_THRESHOLD_MAX);
        }

        private void probePort(String field, int port, String name) {
            if (name != null) {
                if (port != 0) add(field + "/port", "a number and a name cannot both be given");
                portName(field + "/port", name);
            } else {
                range(field + "/port", port, 1, 65535);
            }
        }

        void securityContext(String field, SecurityContext s) {
            if (s.runAsUser() != null) range(field + "/runAsUser", s.runAsUser(), 0, ID_NUMBER_MAX);
            if (s.runAsGroup() != null) range(field + "/runAsGroup", s.runAsGroup(), 0, ID_NUMBER_MAX);
            SecurityContext.Capabilities caps = s.capabilities();
            if (caps != null) {
                capabilities(field + "/capabilities/add", caps.add());
                capabilities(field + "/capabilities/drop", caps.drop());
            }
            // Kubernetes' ValidateSecurityContext: no_new_privileges cannot hold for a process that has these.
            if (Boolean.FALSE.equals(s.allowPrivilegeEscalation())) {
                if (Boolean.TRUE.equals(s.privileged())) {
                    add(field, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
                }
                if (caps != null && caps.add().contains("SYS_ADMIN")) {
                    add(field, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
                }
            }
        }

        private void capabilities(String field, List<String> names) {
            if (names.size() > CAPABILITIES_MAX_ENTRIES) {
                add(field, names.size() + " entries, at most " + CAPABILITIES_MAX_ENTRIES);
                return;
            }
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                if (n == null || !(n.equals(SecurityContext.Capabilities.ALL) || SecurityContext.Capabilities.LINUX.contains(n))) {
                    add(field + "/" + i, "'" + excerpt(String.valueOf(n), 80)
                            + "' is not a capability (Kubernetes' names, without CAP_: NET_ADMIN, SYS_TIME, ... or ALL)");
                }
            }
        }

        void toleration(String field, Toleration t) {
            if (t == null) {
                add(field, "must not be null");
                return;
            }
            if (!OPERATORS.contains(t.operator())) add(field + "/operator", "must be Equal or Exists, got '" + excerpt(t.operator(), 80) + "'");
            if (t.key() != null && !t.key().isEmpty()) matches(field + "/key", t.key(), LABEL_KEY, LABEL_KEY_MAX_LENGTH, "a label key");
            else if (!Toleration.EXISTS.equals(t.operator())) add(field + "/key", "is required unless the operator is Exists");
            labelValue(field + "/value", t.value());
            if (Toleration.EXISTS.equals(t.operator()) && t.value() != null && !t.value().isEmpty()) {
                add(field + "/value", "must be empty when the operator is Exists");
            }
            if (t.effect() != null && !EFFECTS.contains(t.effect())) {
                add(field + "/effect", "must be NoSchedule or absent, got '" + excerpt(t.effect(), 80) + "'");
            }
        }

        private void labelValue(String field, String v) {
            if (v != null && length(field, v, 0, LABEL_VALUE_MAX_LENGTH) && !LABEL_VALUE.matcher(v).matches()) {
                add(field, "'" + excerpt(v, 80) + "' is not a label value");
            }
        }

        void nodeResources(String field, NodeResources r) {
            if (r == null) {
                add(field, "is required");
                return;
            }
            range(field + "/cpuMillis", r.cpuMillis(), 0, Long.MAX_VALUE);
            range(field + "/memoryBytes", r.memoryBytes(), 0, Long.MAX_VALUE);
            range(field + "/pods", r.pods(), 0, Long.MAX_VALUE);
            extended(field + "/extended", r.extended());
        }

        /** Requests and limits: each quantity within its bound, extended resources by their qualified names. */
        void requirements(String field, ResourceRequirements r) {
            resourceList(field + "/requests", r.requests());
            resourceList(field + "/limits", r.limits());
        }

        void resourceList(String field, ResourceList l) {
            if (l.cpuMillis() != null) range(field + "/cpuMillis", l.cpuMillis(), 0, CPU_MILLIS_MAX);
            if (l.memoryBytes() != null) range(field + "/memoryBytes", l.memoryBytes(), 0, MEMORY_BYTES_MAX);
            extended(field + "/extended", l.extended());
        }

        void extended(String field, Map<String, Long> counts) {
            if (!entries(field, counts, EXTENDED_RESOURCES_MAX_ENTRIES)) return;
            counts.forEach((k, v) -> {
                matches(field, k, EXTENDED_RESOURCE_NAME, EXTENDED_RESOURCE_NAME_MAX_LENGTH, "an extended resource name (a domain "
                        + "prefix and '/', then a name of at most 63 letters, digits, '-', '_' or '.', e.g. nvidia.com/gpu)");
                if (v == null) add(field + "/" + excerpt(k, 80), "is required");
                else range(field + "/" + excerpt(k, 80), v, 0, EXTENDED_RESOURCE_MAX);
            });
        }

        void ownerKind(String field, String kind) {
            if (kind != null && !PodCreated.JOB.equals(kind)) add(field, "must be Job or absent, got '" + excerpt(kind, 80) + "'");
        }

        /** A Job's fields and bounds, in Kubernetes' words where it has a rule (restartPolicy, negative counts). */
        void jobSpec(String field, JobSpec j) {
            if (j == null) {
                add(field, "is required");
                return;
            }
            name(field + "/name", j.name());
            name(field + "/namespace", j.namespace());
            template(field + "/template", j.template());
            if (j.template() != null && !List.of(JobSpec.NEVER, JobSpec.ON_FAILURE).contains(j.template().restartPolicy())) {
                add(field + "/template/restartPolicy", "Unsupported value: \"" + excerpt(j.template().restartPolicy(), 80)
                        + "\": supported values: \"OnFailure\", \"Never\"");
            }
            range(field + "/completions", j.completions(), 0, JOB_COMPLETIONS_MAX);
            range(field + "/parallelism", j.parallelism(), 0, JOB_COMPLETIONS_MAX);
            range(field + "/backoffLimit", j.backoffLimit(), 0, JOB_BACKOFF_LIMIT_MAX);
            if (j.activeDeadlineSeconds() != null) range(field + "/activeDeadlineSeconds", j.activeDeadlineSeconds(), 1, JOB_SECONDS_MAX);
            if (j.ttlSecondsAfterFinished() != null) range(field + "/ttlSecondsAfterFinished", j.ttlSecondsAfterFinished(), 0, JOB_SECONDS_MAX);
            labels(field + "/labels", j.labels());
            annotations(field + "/annotations", j.annotations());
        }

        void deploymentSpec(String field, DeploymentSpec d) {
            if (d == null) {
                add(field, "is required");
                return;
            }
            name(field + "/name", d.name());
            name(field + "/namespace", d.namespace());
            range(field + "/replicas", d.replicas(), 0, REPLICAS_MAX);
            template(field + "/template", d.template());
            labels(field + "/labels", d.labels());
            if (d.selector() != null) selector(field + "/selector", d.selector());
            rollout(field + "/rollout", d.rollout());
            annotations(field + "/annotations", d.annotations());
        }

        /** Kubernetes' deployment validation of strategy, minReadySeconds, progressDeadlineSeconds and revisionHistoryLimit, its wording. */
        void rollout(String field, DeploymentSpec.Rollout r) {
            DeploymentStrategy s = r.strategy();
            String at = field + "/strategy";
            if (!List.of(DeploymentStrategy.ROLLING_UPDATE, DeploymentStrategy.RECREATE).contains(s.type())) {
                add(at + "/type", "Unsupported value: \"" + excerpt(s.type(), 80) + "\": supported values: \"Recreate\", \"RollingUpdate\"");
            } else if (s.recreates()) {
                if (s.maxSurge() != null || s.maxUnavailable() != null) add(at + "/rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
            } else {
                boolean surgeOk = intOrPercent(at + "/maxSurge", s.maxSurge()), unavailableOk = intOrPercent(at + "/maxUnavailable", s.maxUnavailable());
                if (unavailableOk && DeploymentStrategy.overHundredPercent(s.maxUnavailable())) {
                    add(at + "/maxUnavailable", "must not be greater than 100%");
                }
                if (surgeOk && unavailableOk && DeploymentStrategy.zero(s.maxSurge()) && DeploymentStrategy.zero(s.maxUnavailable())) {
                    add(at + "/maxUnavailable", "may not be 0 when `maxSurge` is 0");
                }
            }
            range(field + "/minReadySeconds", r.minReadySeconds(), 0, ROLLOUT_SECONDS_MAX);
            range(field + "/progressDeadlineSeconds", r.progressDeadlineSeconds(), 1, ROLLOUT_SECONDS_MAX);
            if (r.progressDeadlineSeconds() <= r.minReadySeconds()) add(field + "/progressDeadlineSeconds", "must be greater than minReadySeconds");
            range(field + "/revisionHistoryLimit", r.revisionHistoryLimit(), 0, REVISION_HISTORY_MAX);
        }

        /** A number or a percentage, as the schema's pattern. */
        private boolean intOrPercent(String field, String v) {
            if (v == null) return true;
            if (v.length() > 10 || !INT_OR_PERCENT.matcher(v).matches()) {
                add(field, "'" + excerpt(v, 80) + "' must be a number or a percentage, e.g. 1 or 25%");
                return false;
            }
            return true;
        }

        void annotations(String field, Map<String, String> annotations) {
            if (!entries(field, annotations, ANNOTATIONS_MAX_ENTRIES)) return;
            annotations.forEach((k, v) -> {
                matches(field, k, LABEL_KEY, LABEL_KEY_MAX_LENGTH, "an annotation key (an optional DNS prefix and '/', then a name of "
                        + "at most 63 letters, digits, '-', '_' or '.')");
                String at = field + "/" + excerpt(k, 80);
                if (v == null) add(at, "is required");
                else length(at, v, 0, ANNOTATION_VALUE_MAX_LENGTH);
            });
        }

        /** The selector's shape; whether it matches the template is the controller's rule. */
        void selector(String field, Selector s) {
            labels(field + "/matchLabels", s.matchLabels());
            if (!size(field + "/matchExpressions", s.matchExpressions(), SELECTOR_EXPRESSIONS_MAX_ITEMS)) return;
            for (int i = 0; i < s.matchExpressions().size(); i++) {
                Selector.Requirement r = s.matchExpressions().get(i);
                String at = field + "/matchExpressions/" + i;
                if (r == null) {
                    add(at, "must not be null");
                    continue;
                }
                matches(at + "/key", r.key(), LABEL_KEY, LABEL_KEY_MAX_LENGTH, "a label key");
                if (!SELECTOR_OPERATORS.contains(r.operator())) {
                    add(at + "/operator", "must be In, NotIn, Exists or DoesNotExist, got '" + excerpt(r.operator(), 80) + "'");
                }
                if (size(at + "/values", r.values(), SELECTOR_VALUES_MAX_ITEMS)) {
                    for (int j = 0; j < r.values().size(); j++) {
                        if (r.values().get(j) == null) add(at + "/values/" + j, "must not be null");
                        else labelValue(at + "/values/" + j, r.values().get(j));
                    }
                }
            }
        }

        void template(String field, PodTemplate t) {
            if (t == null) {
                add(field, "is required");
                return;
            }
            forEachContainer(field, t, (at, c) -> {
                image(at + "/image", c.image());
                requirements(at + "/resources", c.resources());
                if (c.imagePullPolicy() != null && !PodTemplate.PULL_POLICIES.contains(c.imagePullPolicy())) {
                    add(at + "/imagePullPolicy", "must be Always, IfNotPresent or Never, got '" + excerpt(c.imagePullPolicy(), 80) + "'");
                }
            });
            if (!RESTART_POLICIES.contains(t.restartPolicy())) {
                add(field + "/restartPolicy", "must be Always, OnFailure or Never, got '" + excerpt(t.restartPolicy(), 80) + "'");
            }
            range(field + "/terminationGracePeriodSeconds", t.terminationGracePeriodSeconds(), 0, GRACE_PERIOD_MAX_SECONDS);
            labels(field + "/labels", t.labels()); // the controller words these in Kubernetes' terms itself
            templateLimits(field, t);
        }

        /**
         * Runs {@code check} on each container at its path: a single-container template's at the template's own (the
         * flat shape it had before several containers), else {@code containers/i} and {@code initContainers/i}.
         */
        void forEachContainer(String field, PodTemplate t, BiConsumer<String, Container> check) {
            if (t.containers().size() == 1 && t.initContainers().isEmpty()) {
                if (t.containers().get(0) != null) check.accept(field, t.containers().get(0));
                return;
            }
            for (String kind : List.of("initContainers", "containers")) {
                List<Container> list = kind.equals("containers") ? t.containers() : t.initContainers();
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) == null) add(field + "/" + kind + "/" + i, "must not be null");
                    else check.accept(field + "/" + kind + "/" + i, list.get(i));
                }
            }
        }

        /** The sizes and counts of a template (not what its image, resources, policy and grace period mean). */
        void templateLimits(String field, PodTemplate t) {
            if (t.containers().isEmpty()) add(field + "/containers", "Required value: at least one container");
            size(field + "/containers", t.containers(), CONTAINERS_MAX_ITEMS);
            size(field + "/initContainers", t.initContainers(), INIT_CONTAINERS_MAX_ITEMS);
            boolean several = t.containers().size() > 1 || !t.initContainers().isEmpty();
            Set<String> names = new java.util.HashSet<>();
            Set<String> portNames = new java.util.HashSet<>();
            Set<String> hostPorts = new java.util.HashSet<>();
            forEachContainer(field, t, (at, c) -> {
                if (c.name() == null) {
                    if (several) add(at + "/name", "Required value");
                } else {
                    matches(at + "/name", c.name(), DNS_LABEL, CONTAINER_NAME_MAX_LENGTH, "a DNS-1123 label");
                    if (!names.add(c.name())) add(at + "/name", "Duplicate value: \"" + c.name() + "\"");
                }
                containerLimits(at, c, at.contains("/initContainers/"), portNames, hostPorts);
            });
            labels(field + "/nodeSelector", t.nodeSelector());
            if (size(field + "/tolerations", t.tolerations(), TOLERATIONS_MAX_ITEMS)) {
                for (int i = 0; i < t.tolerations().size(); i++) toleration(field + "/tolerations/" + i, t.tolerations().get(i));
            }
            annotations(field + "/annotations", t.annotations());
            podConfig(field, t);
            if (problems.isEmpty() && jsonBytesAtMost(t) > POD_TEMPLATE_MAX_BYTES) {
                long bytes = Limits.utf8Bytes(Json.write(t)); // only near the limit: encoding costs more than all the checks
                if (bytes > POD_TEMPLATE_MAX_BYTES) add(field, "is " + bytes + " bytes as JSON, at most " + POD_TEMPLATE_MAX_BYTES + " are allowed");
            }
        }

        /** One container's sizes and counts; an init container has no probes (Kubernetes: "may not be set for init containers"). */
        void containerLimits(String field, Container t, boolean init, Set<String> portNames, Set<String> hostPorts) {
            strings(field + "/command", t.command(), COMMAND_MAX_ITEMS, ARG_MAX_LENGTH);
            strings(field + "/args", t.args(), ARGS_MAX_ITEMS, ARG_MAX_LENGTH);
            if (entries(field + "/env", t.env(), ENV_MAX_ENTRIES)) {
                t.env().forEach((k, v) -> {
                    matches(field + "/env", k, ENV_NAME, ENV_NAME_MAX_LENGTH, "an environment variable name (letters, digits, '-', '_' or '.', not starting with a digit)");
                    text(field + "/env/" + excerpt(k, 80), v, 0, ENV_VALUE_MAX_LENGTH);
                });
            }
            if (size(field + "/ports", t.ports(), PORTS_MAX_ITEMS)) {
                if (init) ports(field + "/ports", t.ports()); else ports(field + "/ports", t.ports(), portNames, hostPorts);
            }
            if (t.readinessProbe() != null) probe(field + "/readinessProbe", t.readinessProbe());
            for (var health : new Object[][] {{"livenessProbe", t.livenessProbe()}, {"startupProbe", t.startupProbe()}}) {
                Probe probe = (Probe) health[1];
                if (probe == null) continue;
                probe(field + "/" + health[0], probe);
                // Kubernetes: "must be 1" for liveness and startup probes.
                if (probe.successThreshold() != 1) add(field + "/" + health[0] + "/successThreshold", "must be 1");
            }
            if (init) {
                for (var probe : new Object[][] {{"readinessProbe", t.readinessProbe()}, {"livenessProbe", t.livenessProbe()}, {"startupProbe", t.startupProbe()}}) {
                    if (probe[1] != null) add(field + "/" + probe[0], "Forbidden: may not be set for init containers");
                }
            }
            if (t.workingDir() != null) {
                text(field + "/workingDir", t.workingDir(), 1, WORKING_DIR_MAX_LENGTH);
                if (!t.workingDir().startsWith("/")) add(field + "/workingDir", "must be an absolute path");
            }
            if (t.securityContext() != null) securityContext(field + "/securityContext", t.securityContext());
        }
        // --- ConfigMaps, Secrets and emptyDirs in a pod: volumes, volumeMounts, envFrom, env valueFrom (Kubernetes' words) ---

        /** The pod's volumes (names unique, one source each) and every container's mounts and env sources. */
        void podConfig(String field, PodTemplate t) {
            Set<String> volumes = new java.util.HashSet<>();
            if (size(field + "/volumes", t.volumes(), VOLUMES_MAX_ITEMS)) {
                for (int i = 0; i < t.volumes().size(); i++) {
                    Volume v = t.volumes().get(i);
                    String at = field + "/volumes/" + i;
                    if (v == null) {
                        add(at, "must not be null");
                        continue;
                    }
                    name(at + "/name", v.name());
                    if (v.name() != null && !volumes.add(v.name())) add(at + "/name", "Duplicate value: \"" + excerpt(v.name(), 80) + "\"");
                    volumeSource(at, v);
                }
            }
            forEachContainer(field, t, (at, c) -> containerConfig(at, c, volumes));
        }

        void volumeSource(String at, Volume v) {
            if (v.sources() == 0) add(at, "Required value: must specify a volume type");
            else if (v.sources() > 1) add(at, "Forbidden: may not specify more than 1 volume type");
            if (v.configMap() != null) {
                objectName(at + "/configMap/name", v.configMap().name());
                keyItems(at + "/configMap", v.configMap().items(), v.configMap().defaultMode());
            }
            if (v.secret() != null) {
                objectName(at + "/secret/secretName", v.secret().secretName());
                keyItems(at + "/secret", v.secret().items(), v.secret().defaultMode());
            }
            if (v.emptyDir() != null) {
                String medium = v.emptyDir().medium();
                if (!medium.isEmpty() && !medium.equals(EmptyDirVolumeSource.MEMORY)) {
                    add(at + "/emptyDir/medium", "Unsupported value: \"" + excerpt(medium, 80) + "\": supported values: \"\", \"Memory\"");
                }
                if (v.emptyDir().sizeLimit() != null) range(at + "/emptyDir/sizeLimit", v.emptyDir().sizeLimit(), 0, MEMORY_BYTES_MAX);
            }
        }

        void keyItems(String at, List<KeyToPath> items, Integer defaultMode) {
            if (defaultMode != null) fileMode(at + "/defaultMode", defaultMode);
            if (!size(at + "/items", items, VOLUME_ITEMS_MAX_ITEMS)) return;
            Set<String> paths = new java.util.HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                KeyToPath k = items.get(i);
                String ia = at + "/items/" + i;
                if (k == null) {
                    add(ia, "must not be null");
                    continue;
                }
                matches(ia + "/key", k.key(), CONFIG_KEY, CONFIG_KEY_MAX_LENGTH, "a valid config key (letters, digits, '-', '_' or '.')");
                relativePath(ia + "/path", k.path(), true);
                if (k.path() != null && !paths.add(k.path())) add(ia + "/path", "Duplicate value: \"" + excerpt(k.path(), 80) + "\"");
                if (k.mode() != null) fileMode(ia + "/mode", k.mode());
            }
        }

        void fileMode(String field, int mode) {
            if (mode < 0 || mode > FILE_MODE_MAX) add(field, "Invalid value: " + mode + ": must be a number between 0 and 0777 (octal), both inclusive");
        }

        /** Kubernetes' validateLocalDescendingPath: relative, no '..' element. */
        void relativePath(String field, String path, boolean required) {
            if (path == null) {
                if (required) add(field, "Required value");
                return;
            }
            if (!length(field, path, 1, VOLUME_PATH_MAX_LENGTH)) return;
            if (path.startsWith("/")) add(field, "Invalid value: \"" + excerpt(path, 80) + "\": must be a relative path");
            for (String part : path.split("/")) {
                if (part.equals("..")) {
                    add(field, "Invalid value: \"" + excerpt(path, 80) + "\": must not contain '..'");
                    break;
                }
            }
        }

        void containerConfig(String at, Container c, Set<String> volumes) {
            if (size(at + "/volumeMounts", c.volumeMounts(), VOLUME_MOUNTS_MAX_ITEMS)) {
                Set<String> paths = new java.util.HashSet<>();
                for (int i = 0; i < c.volumeMounts().size(); i++) {
                    VolumeMount m = c.volumeMounts().get(i);
                    String ma = at + "/volumeMounts/" + i;
                    if (m == null) {
                        add(ma, "must not be null");
                        continue;
                    }
                    if (m.name() == null || m.name().isEmpty()) add(ma + "/name", "Required value");
                    else if (!volumes.contains(m.name())) add(ma + "/name", "Not found: \"" + excerpt(m.name(), 80) + "\"");
                    if (m.mountPath() == null || m.mountPath().isEmpty()) add(ma + "/mountPath", "Required value");
                    else if (length(ma + "/mountPath", m.mountPath(), 1, VOLUME_PATH_MAX_LENGTH)) {
                        if (!m.mountPath().startsWith("/")) add(ma + "/mountPath", "Invalid value: \"" + excerpt(m.mountPath(), 80) + "\": must be an absolute path");
                        else if (!paths.add(m.mountPath())) add(ma + "/mountPath", "Invalid value: \"" + excerpt(m.mountPath(), 80) + "\": must be unique");
                    }
                    relativePath(ma + "/subPath", m.subPath(), false);
                }
            }
            if (size(at + "/envFrom", c.envFrom(), ENV_FROM_MAX_ITEMS)) {
                for (int i = 0; i < c.envFrom().size(); i++) {
                    EnvFromSource e = c.envFrom().get(i);
                    String ea = at + "/envFrom/" + i;
                    if (e == null) {
                        add(ea, "must not be null");
                        continue;
                    }
                    if (e.prefix() != null) matches(ea + "/prefix", e.prefix(), ENV_NAME, ENV_NAME_MAX_LENGTH, "a valid environment variable name");
                    int set = (e.configMapRef() != null ? 1 : 0) + (e.secretRef() != null ? 1 : 0);
                    if (set != 1) add(ea, set == 0 ? "Required value: must specify one of: `configMapRef` or `secretRef`"
                            : "Forbidden: may not have more than one field specified at a time");
                    if (e.configMapRef() != null) objectName(ea + "/configMapRef/name", e.configMapRef().name());
                    if (e.secretRef() != null) objectName(ea + "/secretRef/name", e.secretRef().name());
                }
            }
            if (size(at + "/envValueFrom", c.envValueFrom(), ENV_VALUE_FROM_MAX_ITEMS)) {
                for (int i = 0; i < c.envValueFrom().size(); i++) {
                    EnvVarSource e = c.envValueFrom().get(i);
                    String ea = at + "/envValueFrom/" + i;
                    if (e == null) {
                        add(ea, "must not be null");
                        continue;
                    }
                    matches(ea + "/name", e.name(), ENV_NAME, ENV_NAME_MAX_LENGTH, "a valid environment variable name");
                    int set = (e.configMapKeyRef() != null ? 1 : 0) + (e.secretKeyRef() != null ? 1 : 0);
                    if (set != 1) add(ea + "/valueFrom", set == 0 ? "Invalid value: \"\": must specify one of: `configMapKeyRef` or `secretKeyRef`"
                            : "Invalid value: \"\": may not have more than one field specified at a time");
                    for (var ref : new Object[][] {{"configMapKeyRef", e.configMapKeyRef()}, {"secretKeyRef", e.secretKeyRef()}}) {
                        if (!(ref[1] instanceof KeySelector k)) continue;
                        objectName(ea + "/" + ref[0] + "/name", k.name());
                        matches(ea + "/" + ref[0] + "/key", k.key(), CONFIG_KEY, CONFIG_KEY_MAX_LENGTH, "a valid config key (letters, digits, '-', '_' or '.')");
                    }
                }
            }
        }
    }
}
