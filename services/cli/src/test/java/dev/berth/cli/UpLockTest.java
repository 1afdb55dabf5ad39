package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock within one JVM; UpDownProcessTest shows it between processes. */
class UpLockTest {
    @TempDir Path home;

    @Test
    void aSecondHolderIsRefusedWithTheFirstOnesPid() throws Exception {
        long me = ProcessHandle.current().pid();
        try (UpLock first = UpLock.acquire(home)) {
            assertThat(Files.readString(UpLock.in(home)).trim()).isEqualTo(Long.toString(me));
            assertThat(UpLock.running(home)).hasValue(me);
            assertThatThrownBy(() -> UpLock.acquire(home))
                    .isInstanceOf(UpLock.HeldException.class)
                    .hasMessageContaining("another `berth up` (pid " + me + ") is running with BERTH_HOME=" + home)
                    .hasMessageContaining("berth down");
        }
        assertThat(UpLock.running(home)).as("released").isEmpty();
        try (UpLock again = UpLock.acquire(home)) {
            assertThat(UpLock.running(home)).hasValue(me);
        }
    }

    @Test
    void aPidLeftByADeadHolderDoesNotCount() throws Exception {
        Files.writeString(UpLock.in(home), "999999999\n");
        assertThat(UpLock.running(home)).isEqualTo(OptionalLong.empty());
        try (UpLock lock = UpLock.acquire(home)) {
            assertThat(Files.readString(UpLock.in(home)).trim()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void noLockFileMeansNothingRuns() throws Exception {
        assertThat(UpLock.running(home.resolve("never-used"))).isEmpty();
    }
}
