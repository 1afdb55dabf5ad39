package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SignalDispositionTest {
    @Test
    void readsTheIgnoredMaskOfProcStatus() {
        assertThat(SignalDisposition.ignored(List.of("Name:\tjava", "SigIgn:\t0000000000000002"), SignalDisposition.SIGINT)).isTrue();
        assertThat(SignalDisposition.ignored(List.of("SigIgn:\t0000000000001000"), SignalDisposition.SIGINT)).isFalse();
        assertThat(SignalDisposition.ignored(List.of("SigIgn:\t0000000000000006"), 3)).isTrue();
        assertThat(SignalDisposition.ignored(List.of("Name:\tjava"), SignalDisposition.SIGINT)).as("no such line").isFalse();
    }
}
