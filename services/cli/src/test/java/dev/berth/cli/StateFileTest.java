package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.BusConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir Path home;

    @Test
    void roundTripsWithOwnerOnlyModeAndNoTemporaryLeftBehind() throws Exception {
        StateFile state = StateFile.ofThisProcess("127.0.0.1:19092", 4242);
        Path file = StateFile.in(home);

        state.write(file);

        assertThat(StateFile.read(file)).contains(state);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StateFile.NAME);
        }
    }

    @Test
    void otherCommandsStillFindTheBrokerInIt() throws Exception {
        StateFile.ofThisProcess("127.0.0.1:19093", 1).write(StateFile.in(home));
        assertThat(Files.readString(StateFile.in(home))).contains("bootstrap.servers=127.0.0.1\\:19093");
        assertThat(BusConfig.stateFile().getFileName().toString()).isEqualTo(StateFile.NAME);
    }

    @Test
    void aRewriteReplacesTheWholeFileAndAnExistingLooseModeIsNotKept() throws Exception {
        Path file = StateFile.in(home);
        Files.writeString(file, "bootstrap.servers=stale\npid=1\ninstance=old\nleftover=yes\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        StateFile fresh = StateFile.ofThisProcess("127.0.0.1:1", 2);
        fresh.write(file);

        assertThat(Files.readString(file)).doesNotContain("leftover").doesNotContain("stale");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void onlyTheWriterRemovesIt() throws Exception {
        Path file = StateFile.in(home);
        StateFile first = StateFile.ofThisProcess("127.0.0.1:1", 1);
        StateFile second = StateFile.ofThisProcess("127.0.0.1:2", 2); // same pid, another instance
        first.write(file);
        second.write(file);

        assertThat(first.removeIfOwned(file)).isFalse();
        assertThat(StateFile.read(file)).contains(second);
        assertThat(second.removeIfOwned(file)).isTrue();
        assertThat(file).doesNotExist();
        assertThat(second.removeIfOwned(file)).as("already gone").isFalse();
    }

    @Test
    void anUnreadableFileIsNoState() throws Exception {
        Path file = StateFile.in(home);
        assertThat(StateFile.read(file)).isEmpty();
        Files.writeString(file, "pid=not-a-number\n");
        assertThat(StateFile.read(file)).isEmpty();
        assertThat(StateFile.ofThisProcess("x", 1).removeIfOwned(file)).isFalse();
        assertThat(file).exists();
    }
}
