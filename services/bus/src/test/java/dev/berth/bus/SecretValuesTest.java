package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.bus.contract.ApplySecret;
import dev.berth.bus.contract.SecretApplied;
import dev.berth.bus.contract.SecretSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Secret's values never leave through text: toString, validation problems, schema problems, dead letters. */
class SecretValuesTest {
    static final String VALUE = "czNjcjN0LVBhNTU=";
    static final String BAD_VALUE = "not base64 but s3cr3t!";

    @Test
    void theRecordsTextNamesKeysAndSizesOnly() {
        ApplySecret command = new ApplySecret(Samples.secret());
        assertThat(command.toString()).doesNotContain(VALUE).contains("password=11");
        assertThat(new SecretApplied(Samples.secret()).toString()).doesNotContain(VALUE);
        assertThat(Samples.secret().redacted().data()).containsOnlyKeys("username", "password").containsValue("");
        assertThat(Validation.problems(new ApplySecret(Samples.secret().redacted()))).isEmpty();
    }

    @Test
    void aBadValueIsReportedByItsKeyNeverEchoed() throws Exception {
        SecretSpec bad = new SecretSpec("shop", "db", null, Map.of("password", BAD_VALUE), Map.of(), false);
        List<String> problems = Validation.problems(new ApplySecret(bad));
        assertThat(problems).containsExactly("/secret/data/password: is not valid base64");

        String json = Json.encode(Envelope.command(new ApplySecret(bad), "kcat", Instant.parse("2026-12-02T10:00:00Z")));
        BadRecordException e = catchThrowableOfType(() -> Json.decodeValidated(json), BadRecordException.class);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain("s3cr3t");
        assertThat(String.valueOf(e.problems())).doesNotContain("s3cr3t");
    }

    @Test
    void oversizedValuesAreCountedNotShown() {
        SecretSpec big = new SecretSpec(null, "big", null, Map.of("a", "QUFB".repeat(13_000)), Map.of(), false);
        assertThat(Validation.problems(new ApplySecret(big))).containsExactly("/secret: values are 52000 characters in all, at most 49152 are allowed");
    }
}
