package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written instant text agrees with {@link Instant#toString} and {@link Instant#parse}. */
class IsoInstantsTest {

    @Test
    void agreesWithTheJdkOnManyInstants() {
        SplittableRandom random = new SplittableRandom(20261127);
        long min = Instant.parse("-1000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        int[] nanoSteps = {1_000_000_000, 1_000_000, 1000, 1};
        for (int i = 0; i < 200_000; i++) {
            long second = i % 2 == 0 ? random.nextLong(min, max) : random.nextLong(0, 4_102_444_800L);
            int step = nanoSteps[random.nextInt(nanoSteps.length)];
            Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000 / step) * step);

            String text = IsoInstants.format(instant);

            assertThat(text).isEqualTo(instant.toString());
            assertThat(IsoInstants.parse(text)).isEqualTo(instant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-27T10:00:00Z", "2026-11-27T10:00:00.1Z", "2026-11-27T10:00:00.12345Z", "2026-11-27T10:00:00.123456789Z",
        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2024-02-29T00:00:00Z", "1969-12-31T23:59:59.5Z",
    })
    void readsThePlainFormItself(String text) {
        assertThat(IsoInstants.parsePlain(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "yesterday", "2026-11-27", "2026-11-27T10:00Z", "2026-11-27t10:00:00z", "2026-11-27T10:00:00.Z",
        "2026-11-27T10:00:00.1234567890Z", "2026-11-27T10:00:00+01:00", "2026-11-27T24:00:00Z", "2026-12-31T23:59:60Z",
        "2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-10T10:00:00Z", "+12026-11-27T10:00:00Z",
        "-0001-11-27T10:00:00Z", " 2026-11-27T10:00:00Z", "2026-11-27T1a:00:00Z", "2026-11-27T10:00:00,5Z",
    })
    void leavesEverythingElseToTheJdk(String text) {
        assertThat(IsoInstants.parsePlain(text)).isNull();
        Throwable jdkError = catchThrowable(() -> Instant.parse(text));
        Throwable error = catchThrowable(() -> IsoInstants.parse(text));
        if (jdkError == null) {
            assertThat(IsoInstants.parse(text)).isEqualTo(Instant.parse(text));
        } else {
            assertThat(error).isInstanceOf(jdkError.getClass()).hasMessage(jdkError.getMessage());
        }
    }
}
