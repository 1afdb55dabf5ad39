package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.Payload;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
        ((ObjectNode) env.at("/data/deployment/template/resources")).put("memoryBytes", "lots");

        assertThatThrownBy(() -> Json.decodeValidated(env.toString()))
                .isInstanceOfSatisfying(BadRecordException.class, e ->
                        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("/data/deployment/template/resources/memoryBytes")));
    }

    @Test
    void topicCatalogueNamesAreBerthTopics() {
        for (Topic t : Topic.values()) {
            assertThat(t.topicName()).startsWith("berth.");
            assertThat(t.partitions()).isPositive();
        }
    }
}
