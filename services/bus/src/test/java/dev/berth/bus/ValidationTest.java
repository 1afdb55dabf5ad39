package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.*;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast validator of decoded records: it refuses what the schemas refuse (each case is checked
 * against both), accepts what they accept, and bounds its own answers.
 */
class ValidationTest {
    static final PodTemplate T = Samples.constrainedTemplate();

    static PodTemplate template(String image, List<String> command, List<String> args, Map<String, String> env, int grace,
                                Map<String, String> selector, List<Toleration> tolerations) {
        return new PodTemplate(image, command, args, env, T.resources(), T.restartPolicy(), grace, selector, tolerations);
    }

    static PodPlaced placed(String pod, String node, PodTemplate t) {
        return new PodPlaced(pod, node, "web", t, 1, Map.of(), List.of());
    }

    static DeploymentSpec labelled(Map<String, String> labels, Selector selector) {
        return new DeploymentSpec("web", 1, T, labels, selector);
    }

    static PodCreated created(PodTemplate t) { return new PodCreated("web-7d4kq", "web", 1, t); }

    static List<String> strings(int n, String s) { return Collections.nCopies(n, s); }

    static Map<String, String> map(int n, String keyPrefix, String value) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < n; i++) m.put(keyPrefix + i, value);
        return m;
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("placement without a template", placed("web-7d4kq", "node-1", null)),
                Arguments.of("pod name not a DNS-1123 label", placed("Bad_Name", "node-1", T)),
                Arguments.of("pod name of 64 characters", placed("a".repeat(64), "node-1", T)),
                Arguments.of("pod name with a trailing newline", placed("web\n", "node-1", T)),
                Arguments.of("pod name that climbs out of a directory", placed("../../etc", "node-1", T)),
                Arguments.of("node name with a slash", placed("web-7d4kq", "node/../../x", T)),
                Arguments.of("node name of 254 characters", placed("web-7d4kq", "n".repeat(254), T)),
                Arguments.of("image with white space", created(template("busy box", List.of(), List.of(), Map.of(), 10, Map.of(), List.of()))),
                Arguments.of("image of 513 characters", created(template("b".repeat(513), List.of(), List.of(), Map.of(), 10, Map.of(), List.of()))),
                Arguments.of("grace period over the cap", created(template("busybox", List.of(), List.of(), Map.of(), 301, Map.of(), List.of()))),
                Arguments.of("negative grace period", created(template("busybox", List.of(), List.of(), Map.of(), -1, Map.of(), List.of()))),
                Arguments.of("1025 args", created(template("busybox", List.of(), strings(1025, "x"), Map.of(), 10, Map.of(), List.of()))),
                Arguments.of("1025 command items", created(template("busybox", strings(1025, "x"), List.of(), Map.of(), 10, Map.of(), List.of()))),
                Arguments.of("an arg of 8193 characters", created(template("busybox", List.of(), List.of("x".repeat(8193)), Map.of(), 10, Map.of(), List.of()))),
                Arguments.of("1001 env entries", created(template("busybox", List.of(), List.of(), map(1001, "E", "v"), 10, Map.of(), List.of()))),
                Arguments.of("env name starting with a digit", created(template("busybox", List.of(), List.of(), Map.of("1X", "v"), 10, Map.of(), List.of()))),
                Arguments.of("env value of 8193 characters", created(template("busybox", List.of(), List.of(), Map.of("X", "v".repeat(8193)), 10, Map.of(), List.of()))),
                Arguments.of("label key with a space", created(template("busybox", List.of(), List.of(), Map.of(), 10, Map.of("disk type", "ssd"), List.of()))),
                Arguments.of("label value of 64 characters", created(template("busybox", List.of(), List.of(), Map.of(), 10, Map.of("disk", "s".repeat(64)), List.of()))),
                Arguments.of("65 node selector entries", created(template("busybox", List.of(), List.of(), Map.of(), 10, map(65, "k", "v"), List.of()))),
                Arguments.of("65 tolerations", created(template("busybox", List.of(), List.of(), Map.of(), 10, Map.of(),
                        Collections.nCopies(65, new Toleration("k", "Equal", "v", null))))),
                Arguments.of("toleration with an unknown operator", created(template("busybox", List.of(), List.of(), Map.of(), 10, Map.of(),
                        List.of(new Toleration("k", "Near", "v", null))))),
                Arguments.of("replicas over 10000", new ApplyDeployment(new DeploymentSpec("web", 10_001, T))),
                Arguments.of("pod label key with a space", created(T.withLabels(Map.of("my app", "web")))),
                Arguments.of("65 pod labels", created(T.withLabels(map(65, "k", "v")))),
                Arguments.of("deployment label value of 64 characters", new ApplyDeployment(labelled(Map.of("team", "s".repeat(64)), null))),
                Arguments.of("selector with an unknown operator", new ApplyDeployment(labelled(Map.of(),
                        new Selector(Map.of(), List.of(new Selector.Requirement("app", "Near", List.of("web"))))))),
                Arguments.of("selector expression without a key", new ApplyDeployment(labelled(Map.of(),
                        new Selector(Map.of(), List.of(new Selector.Requirement(null, "Exists", null)))))),
                Arguments.of("selector expression with 65 values", new ApplyDeployment(labelled(Map.of(),
                        new Selector(Map.of(), List.of(new Selector.Requirement("app", "In", strings(65, "web"))))))),
                Arguments.of("selector with 65 expressions", new ApplyDeployment(labelled(Map.of(),
                        new Selector(Map.of(), Collections.nCopies(65, new Selector.Requirement("app", "Exists", null)))))),
                Arguments.of("selector value with a slash", new ApplyDeployment(labelled(Map.of(), Selector.matching(Map.of("app", "a/b"))))),
                Arguments.of("negative replicas", new ScaleDeployment("web", -1)),
                Arguments.of("deployment name upper case", new ScaleDeployment("WEB", 1)),
                Arguments.of("delete without a name", new DeleteDeployment(null)),
                Arguments.of("cordon a node name with upper case", new CordonNode("Node_1")),
                Arguments.of("drain an empty node name", new DrainNode("")),
                Arguments.of("heartbeat with 10001 pods", heartbeat(strings(10_001, "web-7d4kq"), List.of("busybox"))),
                Arguments.of("heartbeat with a bad pod name", heartbeat(List.of("web 1"), List.of("busybox"))),
                Arguments.of("heartbeat with an image with a newline", heartbeat(List.of(), List.of("busybox\n"))),
                Arguments.of("heartbeat without capacity", new NodeHeartbeat("node-1", null, new NodeResources(1, 1, 1), List.of(), List.of(), 1,
                        Instant.EPOCH)),
                Arguments.of("rejection with 21 problems", new CommandRejected("c", "X", "t", "bad", strings(21, "p"))),
                Arguments.of("rejection with a reason of 4097 characters", new CommandRejected("c", "X", "t", "r".repeat(4097), List.of())),
                Arguments.of("status message of 4097 characters", new PodStatusChanged("web-7d4kq", "node-1", ContainerState.Running, null, "Started",
                        "m".repeat(4097), 0)),
                Arguments.of("status without a state", new PodStatusChanged("web-7d4kq", "node-1", null, null, "Started", "", 0)),
                Arguments.of("step with 10001 decisions", new SchedulingStep("i", 1, Instant.EPOCH, "batch", Map.of(), null, strings(10_001, "d"))),
                Arguments.of("17 candidates", new PodPlaced("web-7d4kq", "node-1", "web", T, 1, Map.of(),
                        Collections.nCopies(17, new PodPlaced.NodeScore("node-1", 1, Map.of())))));
    }

    static NodeHeartbeat heartbeat(List<String> pods, List<String> images) {
        return new NodeHeartbeat("node-1", new NodeResources(1000, 1 << 30, 110), new NodeResources(1000, 1 << 30, 110), images, pods, 1,
                Instant.EPOCH);
    }

    static Stream<Arguments> atTheLimit() {
        return Stream.of(
                Arguments.of("pod name of 63 characters", placed("a".repeat(63), "node-1", T)),
                Arguments.of("node name that is a host name", placed("web-7d4kq", "worker-3.rack-2.example.com", T)),
                Arguments.of("grace period at the cap", created(template("busybox", List.of(), List.of(), Map.of(), 300, Map.of(), List.of()))),
                Arguments.of("1000 env entries", created(template("busybox", List.of(), List.of(), map(1000, "E", "v"), 10, Map.of(), List.of()))),
                Arguments.of("1024 args", created(template("busybox", List.of(), strings(1024, "x"), Map.of(), 10, Map.of(), List.of()))),
                Arguments.of("64 selector entries with prefixed keys", created(template("busybox", List.of(), List.of(), Map.of(), 10,
                        map(64, "example.com/k", "v"), List.of()))),
                Arguments.of("a toleration of every taint", created(template("busybox", List.of(), List.of(), Map.of(), 10, Map.of(),
                        List.of(new Toleration(null, "Exists", null, null))))),
                Arguments.of("replicas at 10000", new ApplyDeployment(new DeploymentSpec("web", 10_000, T))),
                Arguments.of("64 pod labels", created(T.withLabels(map(64, "example.com/k", "v")))),
                Arguments.of("a selector of 64 expressions of 64 values", new ApplyDeployment(labelled(map(64, "k", ""),
                        new Selector(map(64, "k", "v"), Collections.nCopies(64, new Selector.Requirement("app", "NotIn", strings(64, "web"))))))),
                Arguments.of("a selector with an empty value", new ApplyDeployment(labelled(Map.of(), Selector.matching(Map.of("app", ""))))),
                Arguments.of("a registry image reference", created(template("registry.example:5000/team/app:1.2", List.of(), List.of(), Map.of(), 10,
                        Map.of(), List.of()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusesWhatTheSchemaRefuses(String what, Payload payload) {
        assertThat(Validation.problems(payload)).as("validator on %s", what).isNotEmpty();
        assertThat(schemaProblems(payload)).as("schema on %s", what).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("atTheLimit")
    void acceptsWhatTheSchemaAccepts(String what, Payload payload) {
        assertThat(Validation.problems(payload)).as("validator on %s", what).isEmpty();
        assertThat(schemaProblems(payload)).as("schema on %s", what).isEmpty();
    }

    @Test
    void everySampleIsValidAndEveryTypeHasRules() {
        for (Class<? extends Payload> type : Payloads.ALL) {
            assertThat(Validation.covers(type)).as(type.getSimpleName()).isTrue();
            Payload sample = Samples.of(type);
            assertThat(Validation.problems(sample)).as(type.getSimpleName()).isEmpty();
        }
    }

    /** A ClusterIP Service's ports have no nodePort: its endpoints must still be readable (they were set aside once). */
    @Test
    void aClusterIpServicesEndpointsAreValidWithoutNodePorts() {
        List<ServicePort> ports = List.of(ServicePort.tcp("http", 80, 8080));
        Endpoints e = new Endpoints("shop", "web", ServiceSpec.CLUSTER_IP, "10.96.0.20", ports,
                List.of(new EndpointAddress("web-7d4kq", "node-1", "10.244.1.7", true, Map.of("http", 8080))));
        assertThat(Validation.problems(e)).isEmpty();
        assertThat(Validation.problems(new Endpoints("shop", "web", ServiceSpec.NODE_PORT, "10.96.0.20", ports, List.of())))
                .as("a NodePort Service's endpoints carry the allocated nodePorts").isNotEmpty();
    }

    @Test
    void problemsPointAtTheFieldAndSayWhy() {
        assertThat(Validation.problems(placed("Bad_Name", "node-1", null))).containsExactly(
                "/pod: 'Bad_Name' is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)",
                "/template: is required");
        assertThat(Validation.problems(created(template("busybox", List.of(), List.of(), Map.of(), 301, Map.of(), List.of()))))
                .containsExactly("/template/terminationGracePeriodSeconds: must be between 0 and 300, got 301");
    }

    /** The one limit a JSON Schema cannot state: the size of the whole template. */
    @Test
    void aTemplateLargerThan32KiBIsRefusedThoughEachPartFits() {
        PodTemplate big = template("busybox", List.of(), strings(8, "x".repeat(5000)), Map.of(), 10, Map.of(), List.of());
        assertThat(schemaProblems(created(big))).isEmpty();
        assertThat(Validation.problems(created(big))).singleElement().asString()
                .startsWith("/template: is 40").endsWith("bytes as JSON, at most 32768 are allowed");
    }

    @Test
    void theTemplateSizeBoundIsNeverBelowTheEncodedSize() {
        String nasty = "\u0001\"\\\u00e9\u20ac\uD83D\uDE00\n\t";
        for (PodTemplate t : List.of(Samples.template(), T, template(nasty, List.of(nasty.repeat(50)), List.of(nasty), Map.of("E", nasty.repeat(9)),
                10, Map.of("k", nasty), List.of(new Toleration(nasty, "Exists", nasty, nasty))))) {
            assertThat(Validation.jsonBytesAtMost(t)).isGreaterThanOrEqualTo(Json.write(t).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void theAnswerToAHugeBadRecordIsBounded() {
        List<String> badPods = new ArrayList<>();
        for (int i = 0; i < 5000; i++) badPods.add("BAD_" + "x".repeat(200) + i);
        Envelope env = Envelope.spontaneous(heartbeat(badPods, List.of()), "fuzzer", Instant.now());
        assertThatThrownBy(() -> Validation.check(env)).isInstanceOfSatisfying(BadRecordException.class, e -> {
            assertThat(e.getMessage()).startsWith("NodeHeartbeat breaks its contract: ").hasSizeLessThan(1200);
            assertThat(e.problems()).hasSize(Limits.PROBLEMS_MAX_ITEMS).last().asString().startsWith("... and ");
            assertThat(String.join("\n", e.problems()).length()).isLessThan(Limits.PROBLEMS_MAX_ITEMS * Limits.PROBLEM_MAX_LENGTH);
        });
    }

    /** As a consumer sees them: raw JSON that decodes, then is set aside by the one entry point. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "{\"id\":\"1\",\"type\":\"PodPlaced\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"fuzz\",\"data\":{\"pod\":\"web-1\",\"node\":\"node-1\",\"deployment\":\"web\"}}",
        "{\"id\":\"1\",\"type\":\"PodPlaced\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"fuzz\",\"data\":{\"pod\":\"../../etc\",\"node\":\"node-1\",\"deployment\":\"web\",\"template\":{\"image\":\"busybox\",\"resources\":{\"cpuMillis\":1,\"memoryBytes\":1}}}}",
        "{\"id\":\"1\",\"type\":\"PodReleased\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"fuzz\",\"data\":{\"node\":\"node-1\"}}",
        "{\"id\":\"1\",\"type\":\"PodStatusChanged\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"fuzz\",\"data\":{\"pod\":\"WEB\",\"node\":\"node-1\",\"state\":\"Running\"}}",
        "{\"type\":\"NodeHeartbeat\",\"data\":{\"node\":\"node-1\"}}",
    })
    void decodedInternalRecordsThatBreakTheContractAreRefused(String json) throws BadRecordException {
        Envelope decoded = Json.decode(json);
        assertThatThrownBy(() -> Validation.check(decoded)).isInstanceOf(BadRecordException.class)
                .hasMessageContaining("breaks its contract: /");
    }

    @Test
    void theEnvelopeIsCheckedToo() {
        Envelope ok = Envelope.spontaneous(new CordonNode("node-1"), "test", Instant.now());
        assertThat(Validation.problems(ok)).isEmpty();
        Envelope bad = new Envelope("i".repeat(257), "cordonNode", 0, Instant.EPOCH, "", "c".repeat(300), null, new CordonNode("Node 1"));
        assertThat(Validation.problems(bad)).containsExactly(
                "/id: is 257 characters long, at most 256 are allowed",
                "/type: 'cordonNode' is not a payload type name such as ApplyDeployment",
                "/version: must be 1 or more, got 0",
                "/source: must not be empty",
                "/correlationId: is 300 characters long, at most 256 are allowed",
                "/data/node: 'Node 1' is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')");
        assertThat(Validation.problems((Envelope) null)).containsExactly("/: no envelope");
    }

    static List<String> schemaProblems(Payload payload) {
        return Schemas.instance().problems(payload.getClass().getSimpleName() + ".json", new JsonObject(Json.write(payload)));
    }
}
