package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.Payload;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Keeps the Java payload types and schemas/ in step. */
class ContractSchemasTest {

    static Stream<Class<? extends Payload>> payloadTypes() { return Payloads.ALL.stream(); }

    @ParameterizedTest
    @MethodSource("payloadTypes")
    void everyTypeSerialisesToJsonItsSchemaAccepts(Class<? extends Payload> type) throws Exception {
        Payload sample = Samples.of(type);
        Envelope env = Envelope.command(sample, "test", Instant.parse("2026-11-27T10:00:00Z"));

        String json = Json.encode(env);

        assertThat(Schemas.instance().problems(type.getSimpleName() + ".json", new JsonObject(json).getValue("data"))).isEmpty();
        Envelope back = Json.decodeValidated(json);
        assertThat(back.data()).isEqualTo(sample);
        assertThat(back.type()).isEqualTo(type.getSimpleName());
    }

    @Test
    void everySchemaFileBelongsToAJavaType() throws IOException {
        Set<String> javaTypes = Payloads.ALL.stream().map(c -> c.getSimpleName() + ".json").collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(Path.of("../../schemas"))) {
            Set<String> schemaFiles = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("common.json") && !n.equals("envelope.json") && !n.equals("DeadLetter.json")).collect(Collectors.toSet());
            assertThat(schemaFiles).isEqualTo(javaTypes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "\u0000\u0001garbage",
        "[1,2,3]",
        "{\"type\":\"ApplyDeployment\"}",
        "{\"id\":\"1\",\"type\":\"NoSuchThing\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"x\",\"data\":{}}",
        "{\"id\":\"1\",\"type\":\"ScaleDeployment\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"x\",\"data\":{\"name\":\"web\"}}",
        "{\"id\":\"1\",\"type\":\"ScaleDeployment\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"x\",\"data\":{\"name\":\"web\",\"replicas\":\"three\"}}",
        "{\"id\":\"1\",\"type\":\"DeleteDeployment\",\"version\":1,\"time\":\"yesterday\",\"source\":\"x\",\"data\":{\"name\":\"web\",\"force\":true}}",
    })
    void schemasRejectObviouslyBadDocuments(String json) {
        assertThatThrownBy(() -> Json.decodeValidated(json))
                .isInstanceOf(BadRecordException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void schemaProblemsPointAtTheField() {
        ObjectNode env = (ObjectNode) Json.toTree(Envelope.command(new ApplyDeployment(Samples.deployment("web", 3)), "t", Instant.now()));
        ((ObjectNode) env.at("/data/deployment/template/containers/0/resources")).put("memoryBytes", "lots");

        assertThatThrownBy(() -> Json.decodeValidated(env.toString()))
                .isInstanceOfSatisfying(BadRecordException.class, e ->
                        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("/data/deployment/template/containers/0/resources/memoryBytes")));
    }

    /** Every door has a limit: no string without maxLength, no array without maxItems, no map without maxProperties. */
    @Test
    void everyStringArrayAndMapInEverySchemaIsBounded() throws IOException {
        List<String> unbounded = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("../../schemas"))) {
            for (Path file : files.sorted().toList()) {
                walk(Json.MAPPER.readTree(file.toFile()), file.getFileName() + "#", unbounded);
            }
        }
        assertThat(unbounded).isEmpty();
    }

    /** Walks schema nodes; the values of "properties" and "$defs" are schemas, those maps themselves are not. */
    private static void walk(JsonNode node, String at, List<String> unbounded) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), at + "/" + i, unbounded);
            return;
        }
        if (!node.isObject()) return;
        JsonNode type = node.get("type");
        if (declares(type, "string") && !node.has("maxLength")) unbounded.add(at + ": string without maxLength");
        if (declares(type, "array") && !node.has("maxItems")) unbounded.add(at + ": array without maxItems");
        if (node.path("additionalProperties").isObject()) {
            if (!node.has("maxProperties")) unbounded.add(at + ": map without maxProperties");
            if (!node.path("propertyNames").has("maxLength")) unbounded.add(at + ": map keys without maxLength");
        }
        node.fields().forEachRemaining(f -> {
            if (f.getKey().equals("properties") || f.getKey().equals("$defs")) {
                f.getValue().fields().forEachRemaining(p -> walk(p.getValue(), at + "/" + f.getKey() + "/" + p.getKey(), unbounded));
            } else {
                walk(f.getValue(), at + "/" + f.getKey(), unbounded);
            }
        });
    }

    private static boolean declares(JsonNode type, String name) {
        if (type == null) return false;
        if (type.isTextual()) return type.asText().equals(name);
        if (!type.isArray()) return false;
        for (JsonNode t : type) if (t.asText().equals(name)) return true;
        return false;
    }

    /** schemas/ and {@link Limits} state the same numbers, so the validator and the schemas agree. */
    @ParameterizedTest(name = "{0}{1} = {2}")
    @MethodSource("limitsInSchemas")
    void schemasStateTheLimitsOfTheCode(String file, String pointer, long limit) throws IOException {
        JsonNode schema = Json.MAPPER.readTree(Path.of("../../schemas", file).toFile());
        assertThat(schema.at(pointer).isMissingNode()).as(file + pointer).isFalse();
        assertThat(schema.at(pointer).asLong()).as(file + pointer).isEqualTo(limit);
    }

    static Stream<Arguments> limitsInSchemas() {
        String template = "/$defs/PodTemplate/properties";
        return Stream.of(
                Arguments.of("common.json", "/$defs/name/maxLength", Limits.NAME_MAX_LENGTH),
                Arguments.of("common.json", "/$defs/nodeName/maxLength", Limits.NODE_NAME_MAX_LENGTH),
                Arguments.of("common.json", "/$defs/image/maxLength", Limits.IMAGE_MAX_LENGTH),
                Arguments.of("common.json", "/$defs/id/maxLength", Limits.ID_MAX_LENGTH),
                Arguments.of("common.json", "/$defs/text/maxLength", Limits.TEXT_MAX_LENGTH),
                Arguments.of("common.json", template + "/command/maxItems", Limits.COMMAND_MAX_ITEMS),
                Arguments.of("common.json", template + "/command/items/maxLength", Limits.ARG_MAX_LENGTH),
                Arguments.of("common.json", template + "/args/maxItems", Limits.ARGS_MAX_ITEMS),
                Arguments.of("common.json", template + "/args/items/maxLength", Limits.ARG_MAX_LENGTH),
                Arguments.of("common.json", template + "/env/maxProperties", Limits.ENV_MAX_ENTRIES),
                Arguments.of("common.json", template + "/env/propertyNames/maxLength", Limits.ENV_NAME_MAX_LENGTH),
                Arguments.of("common.json", template + "/env/additionalProperties/maxLength", Limits.ENV_VALUE_MAX_LENGTH),
                Arguments.of("common.json", template + "/terminationGracePeriodSeconds/maximum", Limits.GRACE_PERIOD_MAX_SECONDS),
                Arguments.of("common.json", template + "/tolerations/maxItems", Limits.TOLERATIONS_MAX_ITEMS),
                Arguments.of("common.json", template + "/containers/maxItems", Limits.CONTAINERS_MAX_ITEMS),
                Arguments.of("common.json", template + "/initContainers/maxItems", Limits.INIT_CONTAINERS_MAX_ITEMS),
                Arguments.of("common.json", "/$defs/Container/properties/command/maxItems", Limits.COMMAND_MAX_ITEMS),
                Arguments.of("common.json", "/$defs/Container/properties/env/maxProperties", Limits.ENV_MAX_ENTRIES),
                Arguments.of("common.json", "/$defs/labels/maxProperties", Limits.LABELS_MAX_ENTRIES),
                Arguments.of("common.json", "/$defs/labels/propertyNames/maxLength", Limits.LABEL_KEY_MAX_LENGTH),
                Arguments.of("common.json", "/$defs/labels/additionalProperties/maxLength", Limits.LABEL_VALUE_MAX_LENGTH),
                Arguments.of("common.json", "/$defs/Taint/properties/key/maxLength", Limits.LABEL_KEY_MAX_LENGTH),
                Arguments.of("common.json", "/$defs/DeploymentSpec/properties/replicas/maximum", Limits.REPLICAS_MAX),
                Arguments.of("common.json", "/$defs/Selector/properties/matchExpressions/maxItems", Limits.SELECTOR_EXPRESSIONS_MAX_ITEMS),
                Arguments.of("common.json", "/$defs/Selector/properties/matchExpressions/items/properties/values/maxItems", Limits.SELECTOR_VALUES_MAX_ITEMS),
                Arguments.of("common.json", "/$defs/Selector/properties/matchExpressions/items/properties/key/maxLength", Limits.LABEL_KEY_MAX_LENGTH),
                Arguments.of("common.json", "/$defs/Selector/properties/matchExpressions/items/properties/values/items/maxLength", Limits.LABEL_VALUE_MAX_LENGTH),
                Arguments.of("common.json", "/$defs/filterCounts/maxProperties", Limits.EXPLANATION_MAX_ENTRIES),
                Arguments.of("ScaleDeployment.json", "/properties/replicas/maximum", Limits.REPLICAS_MAX),
                Arguments.of("envelope.json", "/properties/id/maxLength", Limits.ID_MAX_LENGTH),
                Arguments.of("envelope.json", "/properties/type/maxLength", Limits.TYPE_MAX_LENGTH),
                Arguments.of("envelope.json", "/properties/source/maxLength", Limits.SOURCE_MAX_LENGTH),
                Arguments.of("envelope.json", "/properties/correlationId/maxLength", Limits.ID_MAX_LENGTH),
                Arguments.of("CommandRejected.json", "/properties/problems/maxItems", Limits.PROBLEMS_MAX_ITEMS),
                Arguments.of("CommandRejected.json", "/properties/problems/items/maxLength", Limits.PROBLEM_MAX_LENGTH),
                Arguments.of("NodeHeartbeat.json", "/properties/images/maxItems", Limits.NODE_IMAGES_MAX_ITEMS),
                Arguments.of("NodeHeartbeat.json", "/properties/pods/maxItems", Limits.NODE_PODS_MAX_ITEMS),
                Arguments.of("NodeHeartbeat.json", "/properties/taints/maxItems", Limits.TAINTS_MAX_ITEMS),
                Arguments.of("PodPlaced.json", "/properties/topCandidates/maxItems", Limits.CANDIDATES_MAX_ITEMS),
                Arguments.of("SchedulingStep.json", "/properties/decisions/maxItems", Limits.STEP_DECISIONS_MAX_ITEMS),
                Arguments.of("SchedulingStep.json", "/properties/decisions/items/maxLength", Limits.STEP_DECISION_MAX_LENGTH),
                Arguments.of("SchedulingStep.json", "/properties/advanced/maxProperties", Limits.STEP_PARTITIONS_MAX_ENTRIES));
    }

    /** Anchors the end of input in every JSON Schema dialect and in Java, where $ also matches before a final newline. */
    static final String END = "(?![\\s\\S])";

    /** The schemas' patterns are the validator's, anchored. */
    @Test
    void schemasUseTheValidatorsPatterns() throws IOException {
        JsonNode common = Json.MAPPER.readTree(Path.of("../../schemas/common.json").toFile());
        assertThat(common.at("/$defs/name/pattern").asText()).isEqualTo("^" + Limits.DNS_LABEL.pattern() + END);
        assertThat(common.at("/$defs/nodeName/pattern").asText()).isEqualTo("^" + Limits.DNS_SUBDOMAIN.pattern() + END);
        assertThat(common.at("/$defs/image/pattern").asText()).isEqualTo("^" + Limits.IMAGE.pattern() + END);
        assertThat(common.at("/$defs/labels/propertyNames/pattern").asText()).isEqualTo("^" + Limits.LABEL_KEY.pattern() + END);
        assertThat(common.at("/$defs/labels/additionalProperties/pattern").asText()).isEqualTo("^" + Limits.LABEL_VALUE.pattern() + END);
        assertThat(common.at("/$defs/Selector/properties/matchExpressions/items/properties/key/pattern").asText()).isEqualTo("^" + Limits.LABEL_KEY.pattern() + END);
        assertThat(common.at("/$defs/Selector/properties/matchExpressions/items/properties/values/items/pattern").asText()).isEqualTo("^" + Limits.LABEL_VALUE.pattern() + END);
        assertThat(common.at("/$defs/PodTemplate/properties/env/propertyNames/pattern").asText()).isEqualTo("^" + Limits.ENV_NAME.pattern() + END);
        assertThat(common.at("/$defs/Container/properties/env/propertyNames/pattern").asText()).isEqualTo("^" + Limits.ENV_NAME.pattern() + END);
    }

    /** A record written before labels and selectors still reads: no labels, no selector, the template's labels select. */
    @Test
    void aDeploymentFromBeforeLabelsStillReads() throws Exception {
        String old = "{\"id\":\"e-1\",\"type\":\"DeploymentApplied\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"controller\","
                + "\"data\":{\"deployment\":{\"name\":\"web\",\"replicas\":2,\"template\":{\"image\":\"busybox\","
                + "\"resources\":{\"cpuMillis\":250,\"memoryBytes\":67108864}}},\"generation\":1}}";

        dev.berth.bus.contract.DeploymentApplied applied = (dev.berth.bus.contract.DeploymentApplied) Json.decodeValidated(old).data();

        assertThat(applied.deployment().labels()).isEmpty();
        assertThat(applied.deployment().selector()).isNull();
        assertThat(applied.deployment().template().labels()).isEmpty();
        assertThat(applied.deployment().effectiveSelector().hasNoRequirements()).isTrue();
        assertThat(Json.encode(Envelope.command(new ApplyDeployment(applied.deployment()), "t", Instant.EPOCH))).doesNotContain("selector");
    }

    @Test
    void topicCatalogueNamesAreBerthTopics() {
        for (Topic t : Topic.values()) {
            assertThat(t.topicName()).startsWith("berth.");
            assertThat(t.partitions()).isPositive();
        }
    }
}
