package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit-file protocol without runc: the shim writes the code, the watcher picks it up. */
class ExitWatcherTest {

    @Test
    void completesWhenTheExitFileAppears(@TempDir Path dir) throws Exception {
        try (ExitWatcher watcher = new ExitWatcher("test")) {
            Path exitFile = dir.resolve("exit");
            CompletableFuture<Integer> exit = watcher.watch("c1", exitFile, ProcessHandle.current().pid());
            Thread.sleep(300);
            assertThat(exit).isNotDone();
            Files.writeString(exitFile, "42\n");
            assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    @Test
    void aGoneProcessWithoutExitFileEndsWithAnUnknownCode(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        try (ExitWatcher watcher = new ExitWatcher("test")) {
            CompletableFuture<Integer> exit = watcher.watch("c1", dir.resolve("exit"), p.pid());
            assertThat(exit.get(10, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void aForgottenContainerIsNoLongerReported(@TempDir Path dir) throws Exception {
        try (ExitWatcher watcher = new ExitWatcher("test")) {
            Path exitFile = dir.resolve("exit");
            CompletableFuture<Integer> exit = watcher.watch("c1", exitFile, ProcessHandle.current().pid());
            watcher.forget("c1");
            Files.writeString(exitFile, "1\n");
            Thread.sleep(600);
            assertThat(exit).isNotDone();
        }
    }

    @Test
    void readsOnlyWellFormedExitFiles(@TempDir Path dir) throws Exception {
        assertThat(ExitWatcher.readExitFile(dir.resolve("none"))).isEmpty();
        Files.writeString(dir.resolve("bad"), "oops");
        assertThat(ExitWatcher.readExitFile(dir.resolve("bad"))).isEmpty();
        Files.writeString(dir.resolve("ok"), "137\n");
        assertThat(ExitWatcher.readExitFile(dir.resolve("ok"))).contains(137);
    }
}
