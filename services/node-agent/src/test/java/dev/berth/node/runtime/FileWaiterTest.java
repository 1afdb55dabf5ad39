package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a start learns that runc wrote its pid file: by create or by rename, as runc does. */
class FileWaiterTest {

    @Test
    void completesWhenTheFileIsRenamedIntoPlace(@TempDir Path dir) throws Exception {
        try (FileWaiter waiter = new FileWaiter("test")) {
            Path pidFile = dir.resolve("init.pid");
            CompletableFuture<Void> appeared = waiter.await(pidFile);
            assertThat(appeared).isNotDone();
            Files.writeString(dir.resolve(".init.pid"), "42");
            Files.move(dir.resolve(".init.pid"), pidFile, StandardCopyOption.ATOMIC_MOVE);
            appeared.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFileThatIsAlreadyThereCompletesAtOnce(@TempDir Path dir) throws Exception {
        try (FileWaiter waiter = new FileWaiter("test")) {
            Path exitFile = Files.writeString(dir.resolve("exit"), "0\n");
            assertThat(waiter.await(exitFile)).isDone();
        }
    }

    @Test
    void otherFilesOfTheDirectoryDoNotCount(@TempDir Path dir) throws Exception {
        try (FileWaiter waiter = new FileWaiter("test")) {
            CompletableFuture<Void> appeared = waiter.await(dir.resolve("init.pid"));
            Files.writeString(dir.resolve("config.json"), "{}");
            CompletableFuture<Void> other = waiter.await(Files.createDirectory(dir.resolve("b")).resolve("init.pid"));
            Files.writeString(dir.resolve("b/init.pid"), "7");
            other.get(10, TimeUnit.SECONDS); // the event for config.json came before this one
            assertThat(appeared).isNotDone();
            appeared.cancel(false);
        }
    }
}
