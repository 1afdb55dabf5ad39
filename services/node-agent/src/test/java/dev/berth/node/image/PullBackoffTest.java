package dev.berth.node.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PullBackoffTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void doublesFromTenSecondsUpToFiveMinutesAndForgetsOnSuccess() {
        PullBackoff b = PullBackoff.EMPTY;
        String key = "pod-1/127.0.0.1:5000/app:nope";
        assertThat(b.decide(key, "app:nope", T0).pull()).isTrue();
        assertThat(b.decide(key, "app:nope", T0).reason()).isEqualTo("ContainerCreating");
        Instant now = T0;
        long[] waits = {10, 20, 40, 80, 160, 300, 300, 300};
        for (long wait : waits) {
            b = b.failed(key, now, "ErrImagePull", "manifest 127.0.0.1:5000/app:nope: answered 404 MANIFEST_UNKNOWN: manifest unknown");
            PullBackoff.Decision waiting = b.decide(key, "app:nope", now.plusSeconds(wait - 1));
            assertThat(waiting.pull()).isFalse();
            assertThat(waiting.reason()).isEqualTo("ImagePullBackOff");
            assertThat(waiting.message()).startsWith("Back-off pulling image \"app:nope\"").contains("404 MANIFEST_UNKNOWN");
            assertThat(b.decide(key, "app:nope", now.plusSeconds(wait)).pull()).isTrue();
            now = now.plusSeconds(wait);
        }
        assertThat(b.decide("other-pod/app:nope", "app:nope", T0.plusSeconds(1)).pull()).isTrue(); // per key
        b = b.succeeded(key);
        assertThat(b.decide(key, "app:nope", now).pull()).isTrue();
        assertThat(b.entries()).isEmpty();
        assertThat(b.failed(key, now, "ErrImagePull", "x").entries().get(key).retryAt()).isEqualTo(now.plus(Duration.ofSeconds(10)));
    }

    @Test
    void manyFailuresDoNotOverflow() {
        PullBackoff b = PullBackoff.EMPTY;
        for (int i = 0; i < 100; i++) b = b.failed("k", T0, "ErrImagePull", "x");
        assertThat(b.entries().get("k").retryAt()).isEqualTo(T0.plus(PullBackoff.MAX));
    }
}
