package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copy-truncate rotation under a writer that keeps its file open for appending, as a container's stdout does. */
class LogRotationTest {
    @TempDir Path dir;

    @Test
    void aLogAtOrBelowTheLimitIsLeftAlone() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "x".repeat(100));
        assertThat(LogRotation.rotateIfLarger(log, new LogLimits(100, 3))).isFalse();
        assertThat(LogRotation.rotateIfLarger(dir.resolve("missing.log"), new LogLimits(100, 3))).isFalse();
        assertThat(log).hasContent("x".repeat(100));
    }

    @Test
    void rotationKeepsAtMostMaxFilesAndTheWriterGoesOnWritingAtTheStart() throws Exception {
        Path log = dir.resolve("pod.log");
        LogLimits limits = new LogLimits(10, 3); // the live file and two rotated ones
        try (FileOutputStream container = new FileOutputStream(log.toFile(), true)) { // O_APPEND, like the shim's redirect
            for (int round = 1; round <= 4; round++) {
                container.write(("round-" + round + "-output\n").getBytes(StandardCharsets.UTF_8));
                container.flush();
                assertThat(LogRotation.rotateIfLarger(log, limits)).isTrue();
                assertThat(Files.size(log)).isZero();
            }
            container.write("after\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(log).as("appends land at the new start: no hole, no lost ability to write").hasContent("after");
        assertThat(LogRotation.rotated(log, 1)).hasContent("round-4-output");
        assertThat(LogRotation.rotated(log, 2)).hasContent("round-3-output");
        assertThat(LogRotation.rotated(log, 3)).as("the oldest is dropped").doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("pod.log", "pod.log.1", "pod.log.2");
        }
    }

    @Test
    void deleteRemovesTheLogAndItsRotatedFiles() throws Exception {
        Path log = Files.writeString(dir.resolve("p.log"), "0123456789abc");
        LogRotation.rotateIfLarger(log, new LogLimits(5, 4));
        LogRotation.delete(log, new LogLimits(5, 4));
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void limitsAreKubeletLikeAndChecked() {
        assertThat(LogLimits.KUBELET_DEFAULTS).isEqualTo(new LogLimits(10L << 20, 5));
        assertThatThrownBy(() -> new LogLimits(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogLimits(10, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fileNamesFromRecordsStayInsideTheirDirectory() {
        Path logs = dir.toAbsolutePath().normalize();
        assertThat(RuncRuntime.inside(logs, "web-1.log")).isEqualTo(logs.resolve("web-1.log"));
        for (String bad : new String[] {"..", "../x", "a/../../x", "", ".", "a/b", "/etc/passwd"}) {
            assertThatThrownBy(() -> RuncRuntime.inside(logs, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
