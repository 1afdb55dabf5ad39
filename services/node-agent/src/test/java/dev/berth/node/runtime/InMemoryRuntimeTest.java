package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.node.image.ImageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryRuntimeTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    final InMemoryRuntime runtime = new InMemoryRuntime(Clock.fixed(T0, ZoneOffset.UTC), List.of("busybox"));

    static ContainerSpec spec(String id) {
        return ContainerSpec.of(id, "busybox", List.of("sleep", "1")).withAnnotations(Map.of("dev.berth.restarts", "2"));
    }

    @Test
    void aStartedContainerRunsUntilStopped() throws Exception {
        RunningContainer c = runtime.start(spec("a"));
        assertThat(c.pid()).isEqualTo(1000);
        assertThat(c.startedAt()).isEqualTo(T0);
        assertThat(runtime.running("a")).isTrue();
        assertThat(c.exit()).isNotDone();
        assertThat(runtime.containers()).containsExactly(new ContainerInfo("a", 1000, T0, Map.of("dev.berth.restarts", "2"), null));

        runtime.stop("a", Duration.ofSeconds(10));
        assertThat(c.exit()).isCompletedWithValue(new ExitStatus(137, false));
        assertThat(runtime.containers()).isEmpty();
        assertThat(runtime.stopped()).containsExactly("a");
    }

    @Test
    void anEndedContainerStaysListedWithHowItEndedUntilStoppedOrStartedAgain() throws Exception {
        RunningContainer first = runtime.start(spec("a"));
        assertThat(runtime.exit("a", 3)).isTrue();
        assertThat(runtime.exit("a", 4)).as("ends once").isFalse();
        assertThat(first.exit()).isCompletedWithValue(new ExitStatus(3, false));
        assertThat(runtime.containers()).singleElement().satisfies(c -> {
            assertThat(c.running()).isFalse();
            assertThat(c.pid()).isZero();
            assertThat(c.exit()).isEqualTo(new ExitStatus(3, false));
        });
        RunningContainer second = runtime.start(spec("a"));
        assertThat(second.pid()).isEqualTo(1001);
        assertThat(runtime.running("a")).isTrue();
    }

    @Test
    void oomKillEndsWith137AndTheVerdict() throws Exception {
        RunningContainer c = runtime.start(spec("hog"));
        runtime.oomKill("hog");
        assertThat(c.exit()).isCompletedWithValue(new ExitStatus(137, true));
    }

    @Test
    void aRunningIdCannotStartTwice() throws Exception {
        runtime.start(spec("a"));
        assertThatThrownBy(() -> runtime.start(spec("a"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startsFailForUnknownImagesAndWhenToldTo() throws Exception {
        assertThatThrownBy(() -> runtime.start(ContainerSpec.of("a", "nginx", List.of())))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.reason()).isEqualTo("ErrImagePull"))
                .hasMessageContaining("manifest unknown");
        runtime.start(ContainerSpec.of("a2", "docker.io/library/busybox:latest", List.of())); // the same image as "busybox"
        runtime.failStarts("b", "disk full");
        assertThatThrownBy(() -> runtime.start(spec("b"))).isInstanceOf(StartException.class).hasMessageContaining("disk full");
        runtime.crashStarts("c");
        assertThatThrownBy(() -> runtime.start(spec("c"))).isInstanceOf(IllegalStateException.class);
        runtime.failStarts("*", "everything fails");
        assertThatThrownBy(() -> runtime.start(spec("d"))).hasMessageContaining("everything fails");
        runtime.allowStarts("*");
        runtime.allowStarts("b");
        runtime.start(spec("b"));
        runtime.start(spec("d"));
        assertThat(runtime.list()).containsExactly("a2", "b", "d");
        assertThat(runtime.starts()).isEqualTo(7);
    }

    @Test
    void containersOutliveCloseAndAWatchOfAFoundOneSeesItsExit() throws Exception {
        RunningContainer c = runtime.start(spec("a"));
        runtime.close();
        assertThat(runtime.closed()).isTrue();
        var watched = runtime.watch("a", c.pid());
        assertThat(watched).isNotDone();
        runtime.exit("a", 0);
        assertThat(watched).isCompletedWithValue(new ExitStatus(0, false));
        assertThat(runtime.watch("unknown", 5)).as("unknown: ended, code unknown").isCompletedWithValue(new ExitStatus(null, false));
    }

    @Test
    void stoppingAnUnknownOrEndedContainerIsSafe() throws Exception {
        runtime.stop("nothing", Duration.ZERO);
        RunningContainer c = runtime.start(spec("a"));
        runtime.exit("a", 1);
        runtime.stop("a", Duration.ZERO);
        assertThat(c.exit()).isCompletedWithValue(new ExitStatus(1, false));
        assertThat(runtime.list()).isEmpty();
    }
}
