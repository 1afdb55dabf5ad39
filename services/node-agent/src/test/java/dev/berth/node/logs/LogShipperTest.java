package dev.berth.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.node.runtime.LogLimits;
import dev.berth.node.runtime.LogRotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper's file side on plain files: runs, positions, rotation (no containers needed). */
class LogShipperTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final LogBatcher.Run RUN0 = new LogBatcher.Run("web-1", "default", "web", 0);
    static final LogBatcher.Run RUN1 = new LogBatcher.Run("web-1", "default", "web", 1);

    @TempDir Path dir;
    long clock;

    Path log() { return dir.resolve("logs").resolve("web-1.log"); }

    LogShipper shipper() {
        return new LogShipper("node-1", pod -> dir.resolve("logs").resolve(pod + ".log"), dir.resolve("positions"));
    }

    void write(String text) throws Exception {
        Files.createDirectories(log().getParent());
        Files.writeString(log(), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Polls until nothing more is due, acknowledging every batch; the batches, in order. */
    List<LogBatcher.Batch> ship(LogShipper s, List<LogBatcher.Run> runs) {
        List<LogBatcher.Batch> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock += 300;
            List<LogBatcher.Batch> got = s.poll(runs, T0.plusMillis(clock));
            got.forEach(s::acked);
            all.addAll(got);
        }
        s.poll(runs, T0.plusMillis(clock += 300)); // writes the acknowledged positions
        return all;
    }

    static List<String> texts(List<LogBatcher.Batch> batches, int restartCount) {
        List<String> out = new ArrayList<>();
        for (var b : batches) if (b.logs().restartCount() == restartCount) b.logs().lines().forEach(l -> out.add(l.text()));
        return out;
    }

    @Test
    void followsTheFileFromWhereItStands() throws Exception {
        LogShipper s = shipper();
        s.beforeStart(RUN0, T0);
        write("a\nb\n");
        assertThat(texts(ship(s, List.of(RUN0)), 0)).containsExactly("a", "b");
        write("c\n");
        assertThat(texts(ship(s, List.of(RUN0)), 0)).containsExactly("c");
    }

    @Test
    void beforeStartSplitsTheRunsExactly() throws Exception {
        LogShipper s = shipper();
        s.beforeStart(RUN0, T0);
        write("old 1\n");
        ship(s, List.of(RUN0));
        write("old 2\n"); // the run's last words, not yet read when it restarts
        s.beforeStart(RUN1, T0.plusMillis(clock));
        write("new 1\n");
        List<LogBatcher.Batch> got = ship(s, List.of(RUN1));
        assertThat(texts(got, 0)).containsExactly("old 2");
        assertThat(texts(got, 1)).containsExactly("new 1");
    }

    @Test
    void aFirstStartSkipsWhatAnEarlierPodOfTheSameNameLeft() throws Exception {
        write("someone else's\n");
        LogShipper s = shipper();
        s.beforeStart(RUN0, T0);
        write("mine\n");
        assertThat(texts(ship(s, List.of(RUN0)), 0)).containsExactly("mine");
    }

    @Test
    void aNewShipperResumesAtTheAcknowledgedPosition() throws Exception {
        LogShipper first = shipper();
        first.beforeStart(RUN0, T0);
        write("1\n2\n");
        ship(first, List.of(RUN0));
        write("3\n"); // written while no agent runs
        LogShipper second = shipper();
        assertThat(texts(ship(second, List.of(RUN0)), 0)).containsExactly("3");
    }

    @Test
    void unacknowledgedBatchesAreShippedAgainByTheNextShipper() throws Exception {
        LogShipper first = shipper();
        first.beforeStart(RUN0, T0);
        write("1\n");
        ship(first, List.of(RUN0));
        write("2\n");
        first.poll(List.of(RUN0), T0.plusMillis(clock += 300)); // sent, never acknowledged
        LogShipper second = shipper();
        assertThat(texts(ship(second, List.of(RUN0)), 0)).containsExactly("2");
    }

    @Test
    void aContainerFoundWithoutAPositionStartsAtItsFileStartOnItsFirstRun() throws Exception {
        write("from the start\n");
        LogShipper s = shipper();
        assertThat(texts(ship(s, List.of(RUN0)), 0)).containsExactly("from the start");
    }

    @Test
    void aLaterRunFoundWithoutAPositionStartsAtTheEnd() throws Exception {
        write("an earlier run's\n");
        LogShipper s = shipper();
        ship(s, List.of(RUN1));
        write("now\n");
        assertThat(texts(ship(s, List.of(RUN1)), 1)).containsExactly("now");
    }

    @Test
    void aRotationIsFollowedIntoTheRotatedFile() throws Exception {
        LogShipper s = shipper();
        s.beforeStart(RUN0, T0);
        write("1\n");
        ship(s, List.of(RUN0));
        write("2\n3\n");
        LogRotation.rotateIfLarger(log(), new LogLimits(1, 5)); // "1 2 3" to .log.1, the live file emptied
        write("4\n");
        assertThat(texts(ship(s, List.of(RUN0)), 0)).containsExactly("2", "3", "4");
    }

    @Test
    void aRotationAfterWhichTheFileGrewPastThePositionIsNoticedToo() throws Exception {
        LogShipper s = shipper();
        s.beforeStart(RUN0, T0);
        write("1\n");
        ship(s, List.of(RUN0));
        write("2\n");
        LogRotation.rotateIfLarger(log(), new LogLimits(1, 5));
        write("44444444\n"); // longer than the old position
        assertThat(texts(ship(s, List.of(RUN0)), 0)).containsExactly("2", "44444444");
    }

    @Test
    void aStoppedPodsLastLinesShipAndItIsForgotten() throws Exception {
        LogShipper s = shipper();
        s.beforeStart(RUN0, T0);
        write("bye\n");
        s.afterStop("web-1", T0);
        assertThat(texts(ship(s, List.of()), 0)).containsExactly("bye");
        assertThat(s.followed()).isEmpty();
        assertThat(dir.resolve("positions").resolve("web-1")).doesNotExist();
    }

    @Test
    void aPodNoLongerListedIsDrainedAndNoLongerFollowed() throws Exception {
        LogShipper s = shipper();
        s.beforeStart(RUN0, T0);
        ship(s, List.of(RUN0));
        write("last\n");
        assertThat(texts(ship(s, List.of()), 0)).containsExactly("last");
        assertThat(s.followed()).isEmpty();
    }

    @Test
    void aStaleSnapshotNeverTakesTheRunBack() throws Exception {
        LogShipper s = shipper();
        s.beforeStart(RUN0, T0);
        s.beforeStart(RUN1, T0);
        write("new\n");
        assertThat(texts(ship(s, List.of(RUN0)), 1)).containsExactly("new"); // the poll's list predates the start
    }

    @Test
    void flushAllShipsEvenWithinTheInterval() throws Exception {
        LogShipper s = shipper();
        s.beforeStart(RUN0, T0);
        write("a\n");
        s.poll(List.of(RUN0), T0);
        write("b\npartial");
        assertThat(texts(s.flushAll(T0.plusMillis(1)), 0)).containsExactly("b", "partial");
    }

    @Test
    void aMissingFileIsNothing() {
        LogShipper s = shipper();
        assertThat(ship(s, List.of(RUN0))).isEmpty();
    }
}
