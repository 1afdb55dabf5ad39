package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Json#MAPPER} reads and writes instants exactly as JavaTimeModule alone does. */
class IsoInstantModuleTest {
    static final ObjectMapper JAVA_TIME_ONLY = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    record Stamp(Instant at) {}

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T10:00:00Z", "2026-11-27T10:00:00.120Z", "2026-11-27T10:00:00.123456789Z",
        "+12026-11-27T10:00:00Z", "-0001-11-27T10:00:00.5Z", "1970-01-01T00:00:00Z"})
    void writesTheSameText(String text) throws Exception {
        Stamp stamp = new Stamp(Instant.parse(text));

        assertThat(Json.MAPPER.writeValueAsString(stamp)).isEqualTo(JAVA_TIME_ONLY.writeValueAsString(stamp));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026-11-27T10:00:00.123Z\"", "\"2026-11-27T11:00:00+01:00\"", "\" 2026-11-27T10:00:00Z \"",
        "\"2026-11-27T10:00:00.Z\"", "\"1764237600\"", "\"1764237600.5\"", "1764237600", "1764237600.25", "\"\"", "null",
        "\"2026-02-30T10:00:00Z\"", "\"yesterday\"", "[\"2026-11-27T10:00:00Z\"]", "true"})
    void readsTheSameValueOrFailsTheSameWay(String json) throws Exception {
        String document = "{\"at\":" + json + "}";
        Throwable expected = catchThrowable(() -> JAVA_TIME_ONLY.readValue(document, Stamp.class));
        Throwable actual = catchThrowable(() -> Json.MAPPER.readValue(document, Stamp.class));

        if (expected == null) {
            assertThat(actual).isNull();
            assertThat(Json.MAPPER.readValue(document, Stamp.class)).isEqualTo(JAVA_TIME_ONLY.readValue(document, Stamp.class));
        } else {
            assertThat(actual).isInstanceOf(expected.getClass());
            assertThat(actual.getMessage()).isEqualTo(expected.getMessage());
        }
    }
}
