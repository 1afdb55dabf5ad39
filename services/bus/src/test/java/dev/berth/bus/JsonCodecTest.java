package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.ScaleDeployment;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Json#decode} reads in one streaming pass and answers exactly as the tree reading does;
 * {@link Json#encode} writes what the mapper writes.
 */
class JsonCodecTest {
    static final String SCALE = "{\"name\":\"web\",\"replicas\":5}";
    static final EnvelopeReader STREAMING = new EnvelopeReader(Json.MAPPER);

    static Stream<Class<? extends Payload>> payloadTypes() { return Payloads.ALL.stream(); }

    @ParameterizedTest
    @MethodSource("payloadTypes")
    void everyTypeComesBackAsItWasEncoded(Class<? extends Payload> type) throws Exception {
        Envelope command = Envelope.command(new ScaleDeployment("web", 5), "cli", Instant.parse("2026-11-27T10:00:00Z"));
        Envelope sent = Envelope.causedBy(command, Samples.of(type), "test", Instant.parse("2026-11-27T10:00:00.123456789Z"));

        String json = Json.encode(sent);

        assertThat(json).isEqualTo(Json.MAPPER.writeValueAsString(sent));
        assertThat(Json.decode(json)).isEqualTo(sent);
        assertThat(STREAMING.readOrNull(json)).as("read in one pass, not through the tree").isEqualTo(sent);
    }

    @Test
    void theTypeMayComeAfterTheData() throws Exception {
        String dataFirst = "{\"data\":" + SCALE + ",\"id\":\"c-1\",\"version\":1,\"time\":\"2026-03-01T10:00:00Z\","
                + "\"source\":\"kcat\",\"type\":\"ScaleDeployment\"}";

        Envelope read = Json.decode(dataFirst);

        assertThat(read.data()).isEqualTo(new ScaleDeployment("web", 5));
        assertThat(read).isEqualTo(Json.decodeThroughTree(dataFirst));
        assertThat(STREAMING.readOrNull(dataFirst)).isEqualTo(read);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"ScaleDeployment\",\"data\":" + SCALE + "}",
        "{\"id\":null,\"type\":\"ScaleDeployment\",\"source\":5,\"version\":\"2\",\"causationId\":null,\"data\":" + SCALE + "}",
        "{\"id\":{\"nested\":[1,2]},\"type\":\"ScaleDeployment\",\"version\":2.0,\"time\":null,\"data\":" + SCALE + "}",
        "{\"type\":\"NoSuchThing\",\"type\":\"ScaleDeployment\",\"data\":" + SCALE + "}",
        "{\"type\":\"ScaleDeployment\",\"data\":{\"name\":\"old\",\"replicas\":1},\"data\":" + SCALE + "}",
        "{\"extra\":{\"deep\":[{\"a\":1}]},\"type\":\"ScaleDeployment\",\"data\":{\"name\":\"web\",\"replicas\":5,\"force\":true}}",
        "{\"type\":\"ScaleDeployment\",\"data\":" + SCALE + "} trailing text is ignored",
        "{\"type\":\"ScaleDeployment\",\"version\":12345678901,\"data\":{\"name\":\"web\",\"replicas\":\"5\"}}",
    })
    void oddButReadableEnvelopesReadAsTheTreeReadsThem(String json) throws Exception {
        assertThat(Json.decode(json)).isEqualTo(Json.decodeThroughTree(json));
    }

    @Test
    void missingEnvelopeFieldsTakeTheirDefaults() throws Exception {
        Envelope read = Json.decode("{\"type\":\"ScaleDeployment\",\"data\":" + SCALE + "}");

        assertThat(read).isEqualTo(new Envelope("", "ScaleDeployment", 1, Instant.EPOCH, "unknown", null, null,
                new ScaleDeployment("web", 5)));
    }

    @Test
    void badRecordsGetTheSameAnswersAsBefore() {
        assertThat(problem("")).isEqualTo("empty record: expected a JSON envelope");
        assertThat(problem("  \n")).isEqualTo("empty record: expected a JSON envelope");
        assertThat(problem(null)).isEqualTo("empty record: expected a JSON envelope");
        assertThat(problem("\u0000\u0001\u00ffgarbage")).startsWith("not valid JSON: ");
        assertThat(problem("{not json")).startsWith("not valid JSON: Unexpected character ('n'");
        assertThat(problem("{\"type\":\"ScaleDeployment\",\"data\":" + SCALE)).startsWith("not valid JSON: Unexpected end-of-input");
        assertThat(problem("{\"type\":\"ScaleDeployment\",\"data\":{\"name\":\"web\",\"replicas\":\"three\"}, oops}"))
                .as("the syntax error wins over the bad field, as when the whole record was parsed first")
                .startsWith("not valid JSON: ");
        assertThat(problem("[1,2]")).isEqualTo("not a JSON object: expected a Berth envelope {\"type\":..,\"data\":{..}}");
        assertThat(problem("\"text\"")).isEqualTo("not a JSON object: expected a Berth envelope {\"type\":..,\"data\":{..}}");
        assertThat(problem("{\"type\":\"NoSuchThing\",\"data\":{}}")).isEqualTo("unknown type 'NoSuchThing'");
        assertThat(problem("{\"data\":" + SCALE + "}")).isEqualTo("unknown type 'null'");
        assertThat(problem("{\"type\":\"ScaleDeployment\"}")).isEqualTo("missing data");
        assertThat(problem("{\"type\":\"ScaleDeployment\",\"data\":null}")).isEqualTo("missing data");
        assertThat(problem("{\"type\":\"ScaleDeployment\",\"data\":{\"name\":\"web\",\"replicas\":\"three\"}}"))
                .startsWith("cannot read ScaleDeployment: Cannot deserialize value of type `int` from String \"three\"");
        assertThat(problem("{\"type\":\"ScaleDeployment\",\"time\":\"yesterday\",\"data\":" + SCALE + "}"))
                .isEqualTo("cannot read ScaleDeployment: Text 'yesterday' could not be parsed at index 0");
    }

    @Test
    void aBadRecordNamesItsTypeAndProblems() {
        BadRecordException unknown = catchThrowableOfType(BadRecordException.class,
                () -> Json.decode("{\"type\":\"NoSuchThing\",\"data\":{}}"));
        assertThat(unknown.typeName()).isEqualTo("NoSuchThing");
        assertThat(unknown.problems()).containsExactly("/type: unknown type");

        BadRecordException missing = catchThrowableOfType(BadRecordException.class,
                () -> Json.decode("{\"type\":\"ScaleDeployment\"}"));
        assertThat(missing.problems()).containsExactly("/data: required");
    }

    private static String problem(String json) {
        BadRecordException streamed = catchThrowableOfType(BadRecordException.class, () -> Json.decode(json));
        BadRecordException tree = catchThrowableOfType(BadRecordException.class, () -> Json.decodeThroughTree(json));
        assertThat(streamed).as("decode(%s) fails", json).isNotNull();
        assertThat(streamed.getMessage()).isEqualTo(tree.getMessage());
        assertThat(streamed.problems()).isEqualTo(tree.problems());
        return streamed.getMessage();
    }
}
