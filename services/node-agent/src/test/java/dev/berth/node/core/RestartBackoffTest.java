package dev.berth.node.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void devDefaultsDoubleFromOneSecondToAMinute() {
        List<Long> seconds = IntStream.range(0, 9).mapToObj(n -> RestartBackoff.DEV_DEFAULTS.delay(n).toSeconds()).toList();
        assertThat(seconds).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(RestartBackoff.DEV_DEFAULTS.resetAfter()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void customBaseAndCap() {
        RestartBackoff b = new RestartBackoff(Duration.ofMillis(250), Duration.ofSeconds(3), Duration.ofSeconds(10));
        assertThat(IntStream.range(0, 6).mapToObj(n -> b.delay(n).toMillis()).toList())
                .containsExactly(250L, 500L, 1000L, 2000L, 3000L, 3000L);
    }

    @Test
    void hugeStepCountsStayAtTheCapWithoutOverflow() {
        assertThat(RestartBackoff.DEV_DEFAULTS.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
        RestartBackoff tiny = new RestartBackoff(Duration.ofNanos(1), Duration.ofDays(365_000), Duration.ZERO);
        assertThat(tiny.delay(10_000)).isEqualTo(Duration.ofDays(365_000));
    }

    @Test
    void capEqualToBaseMeansAFixedDelay() {
        RestartBackoff fixed = new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(1));
        assertThat(fixed.delay(0)).isEqualTo(fixed.delay(7)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("base must be positive");
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("below its base");
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .hasMessageContaining("reset");
    }

    @Test
    void formatsLikeKubernetes() {
        assertThat(RestartBackoff.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(RestartBackoff.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(RestartBackoff.format(Duration.ofSeconds(4))).isEqualTo("4s");
        assertThat(RestartBackoff.format(Duration.ofSeconds(60))).isEqualTo("1m0s");
        assertThat(RestartBackoff.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(RestartBackoff.format(Duration.ofMinutes(5))).isEqualTo("5m0s");
    }

    @Test
    void policiesDecideByExitCode() {
        assertThat(RestartPolicy.Always.restartsAfter(0)).isTrue();
        assertThat(RestartPolicy.Always.restartsAfter(1)).isTrue();
        assertThat(RestartPolicy.OnFailure.restartsAfter(0)).isFalse();
        assertThat(RestartPolicy.OnFailure.restartsAfter(137)).isTrue();
        assertThat(RestartPolicy.OnFailure.restartsAfter(null)).as("never ran, or code unknown").isTrue();
        assertThat(RestartPolicy.Never.restartsAfter(1)).isFalse();
        assertThat(RestartPolicy.Never.restartsAfter(null)).isFalse();
    }

    @Test
    void unknownPolicyNamesMeanTheDefault() {
        assertThat(RestartPolicy.of("OnFailure")).isEqualTo(RestartPolicy.OnFailure);
        assertThat(RestartPolicy.of("Sometimes")).isEqualTo(RestartPolicy.Always);
        assertThat(RestartPolicy.of(null)).isEqualTo(RestartPolicy.Always);
    }
}
