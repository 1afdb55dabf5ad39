package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.node.image.ImageService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy-truncate rotation of a real container's log while it writes: the files stay within the limits
 * and the container's output keeps arriving in the live file. Needs root and runc.
 */
@EnabledIf("dev.berth.node.RealRunc#usable")
class RuncLogRotationTest {
    @TempDir Path tmp;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final String id = "chatty-" + run;
    final LogLimits limits = new LogLimits(16 * 1024, 3);
    RuncRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        ImageService images = new ImageService(tmp.resolve("node"), ImageService.Options.defaults());
        LocalBusyboxImage.ensure(images, tmp.resolve("tmp"));
        runtime = new RuncRuntime(tmp.resolve("runc"), tmp.resolve("bundles"), tmp.resolve("logs"), "/berth/logtest-" + run, images, limits);
    }

    @AfterEach
    void tearDown() {
        try {
            runtime.stop(id, Duration.ZERO);
        } finally {
            runtime.removeCgroupParent();
            runtime.close();
        }
        assertThat(runtime.cgroups().exists("/berth/logtest-" + run)).as("cgroup parent left behind").isFalse();
    }

    @Test
    void aWritingContainersLogIsCappedAndItKeepsWriting() throws Exception {
        // About 100 KiB/s of numbered lines.
        runtime.start(ContainerSpec.of(id, "busybox", List.of("sh", "-c",
                "i=0; while :; do echo \"line $i $(printf '%0100d' 0)\"; i=$((i+1)); [ $((i % 100)) = 0 ] && sleep 0.1; done")));
        Path log = runtime.logFile(id);
        int rotations = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (rotations < 4 && System.nanoTime() < deadline) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(log) > limits.maxBytes());
            long before = Files.size(log);
            runtime.rotateLogs();
            if (Files.size(log) < before) rotations++;
        }
        assertThat(rotations).isEqualTo(4);
        assertThat(LogRotation.rotated(log, 1)).exists();
        assertThat(LogRotation.rotated(log, 2)).exists();
        assertThat(LogRotation.rotated(log, 3)).as("at most 3 files").doesNotExist();
        String newest = Files.readString(LogRotation.rotated(log, 1));
        long lastRotated = lastLineNumber(newest);
        // The container keeps writing into the live file, after what was rotated away, from its start (no hole).
        await().atMost(Duration.ofSeconds(10)).until(() -> lastLineNumber(Files.readString(log)) > lastRotated);
        assertThat(Files.readString(log)).doesNotContain("\0");
        assertThat(runtime.containers()).singleElement().satisfies(c -> assertThat(c.running()).isTrue());
    }

    private static long lastLineNumber(String text) {
        List<String> lines = text.lines().filter(l -> l.startsWith("line ")).toList();
        if (lines.isEmpty()) return -1;
        return Long.parseLong(lines.get(lines.size() - 1).split(" ")[1]);
    }
}
