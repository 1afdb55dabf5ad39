package dev.berth.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Limits;
import dev.berth.bus.Validation;
import dev.berth.bus.contract.ContainerLogs;
import dev.berth.bus.contract.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBatcherTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final LogBatcher.Run RUN0 = new LogBatcher.Run("web-1", "shop", "web", 0);
    static final LogBatcher.Run RUN1 = new LogBatcher.Run("web-1", "shop", "web", 1);

    final LogBatcher b = new LogBatcher("node-1");
    long offset;

    static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    void write(LogBatcher.Run run, String text, long millis) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        b.read(run, offset, bytes, at(millis));
        offset += bytes.length;
    }

    void write(String text, long millis) {
        write(RUN0, text, millis);
    }

    static List<String> texts(List<LogBatcher.Batch> batches) {
        List<String> out = new ArrayList<>();
        for (var x : batches) for (LogLine l : x.logs().lines()) out.add(l.text());
        return out;
    }

    static Envelope envelope(LogBatcher.Batch x) {
        return Envelope.spontaneous(x.logs(), "node-agent/node-1", T0);
    }

    static String numbered(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) sb.append("line ").append(i).append('\n');
        return sb.toString();
    }

    @Test
    void splitsIntoLinesWithoutTheNewline() {
        write("a\nb\nc\n", 0);
        assertThat(texts(b.due(at(0)))).containsExactly("a", "b", "c");
    }

    @Test
    void aBatchNamesPodNamespaceNodeContainerAndRun() {
        write("hello\n", 0);
        ContainerLogs logs = b.due(at(0)).get(0).logs();
        assertThat(logs.pod()).isEqualTo("web-1");
        assertThat(logs.namespace()).isEqualTo("shop");
        assertThat(logs.node()).isEqualTo("node-1");
        assertThat(logs.container()).isEqualTo("web");
        assertThat(logs.restartCount()).isZero();
        assertThat(logs.dropped()).isZero();
    }

    @Test
    void linesCarryTheReadTimeAndStdout() {
        write("x\n", 1234);
        LogLine l = b.due(at(1234)).get(0).logs().lines().get(0);
        assertThat(l.time()).isEqualTo(at(1234));
        assertThat(l.stream()).isEqualTo(LogLine.STDOUT);
    }

    @Test
    void emptyLinesAreLines() {
        write("\n\nx\n", 0);
        assertThat(texts(b.due(at(0)))).containsExactly("", "", "x");
    }

    @Test
    void aCarriageReturnStaysInTheText() {
        write("dos\r\n", 0);
        assertThat(texts(b.due(at(0)))).containsExactly("dos\r");
    }

    @Test
    void aLineSplitOverTwoReadsIsOneLine() {
        write("hel", 0);
        write("lo\n", 50);
        assertThat(texts(b.due(at(50)))).containsExactly("hello");
    }

    @Test
    void anUnterminatedPieceWaitsForItsNewline() {
        write("prompt> ", 0);
        assertThat(b.due(at(500))).isEmpty();
        assertThat(b.pending("web-1")).isTrue();
    }

    @Test
    void anUnterminatedPieceShipsAfterTheWait() {
        write("prompt> ", 0);
        assertThat(texts(b.due(at(LogBatcher.PARTIAL_LINE_WAIT.toMillis())))).containsExactly("prompt> ");
    }

    @Test
    void theWaitCountsFromThePiecesFirstByte() {
        write("a", 0);
        write("b", 900);
        assertThat(texts(b.due(at(1000)))).containsExactly("ab");
    }

    @Test
    void aLongLineIsCutAt16KiB() {
        String big = "x".repeat(Limits.LOG_LINE_MAX_LENGTH * 2 + 10);
        write(big + "\n", 0);
        List<String> got = texts(b.due(at(0)));
        assertThat(got).hasSize(3);
        assertThat(got.get(0)).hasSize(Limits.LOG_LINE_MAX_LENGTH);
        assertThat(got.get(1)).hasSize(Limits.LOG_LINE_MAX_LENGTH);
        assertThat(got.get(2)).hasSize(10);
        assertThat(String.join("", got)).isEqualTo(big);
    }

    @Test
    void aLineOfExactly16KiBIsOneLine() {
        write("y".repeat(Limits.LOG_LINE_MAX_LENGTH) + "\n", 0);
        assertThat(texts(b.due(at(0)))).containsExactly("y".repeat(Limits.LOG_LINE_MAX_LENGTH));
    }

    @Test
    void aLongLineWithoutNewlineShipsItsFullPiecesAtOnce() {
        write("z".repeat(Limits.LOG_LINE_MAX_LENGTH + 5), 0);
        assertThat(texts(b.due(at(0)))).containsExactly("z".repeat(Limits.LOG_LINE_MAX_LENGTH));
        assertThat(b.pending("web-1")).isTrue(); // the 5 bytes wait
    }

    @Test
    void aCutNeverSplitsAUtf8Character() {
        String text = "a" + "é".repeat(Limits.LOG_LINE_MAX_LENGTH); // 1 + 2 bytes each: the 16 KiB mark falls inside one
        write(text + "\n", 0);
        List<String> got = texts(b.due(at(0)));
        assertThat(String.join("", got)).isEqualTo(text);
        for (String piece : got) {
            assertThat(piece).doesNotContain("\uFFFD");
            assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Limits.LOG_LINE_MAX_LENGTH);
        }
    }

    @Test
    void cutBacksUpToACharacterStart() {
        byte[] b = "aé".getBytes(StandardCharsets.UTF_8); // 61 C3 A9
        assertThat(LogBatcher.cut(b, 2)).isEqualTo(1);
        assertThat(LogBatcher.cut("abc".getBytes(StandardCharsets.UTF_8), 2)).isEqualTo(2);
    }

    @Test
    void aQuietPodsFirstLineGoesAtOnce() {
        write("first\n", 0);
        assertThat(texts(b.due(at(0)))).containsExactly("first");
    }

    @Test
    void thenAtMostOneBatchPer200ms() {
        write("a\n", 0);
        assertThat(b.due(at(0))).hasSize(1);
        write("b\n", 50);
        assertThat(b.due(at(50))).isEmpty();
        assertThat(b.due(at(189))).isEmpty();
        assertThat(texts(b.due(at(200)))).containsExactly("b");
    }

    @Test
    void aPollAFewMillisecondsEarlyStillSends() {
        write("a\n", 0);
        b.due(at(0));
        write("b\n", 50);
        assertThat(texts(b.due(at(195)))).containsExactly("b"); // the timer's jitter, not a second batch within the interval
    }

    @Test
    void linesOfOneIntervalGoTogether() {
        write("a\n", 0);
        b.due(at(0));
        write("b\n", 20);
        write("c\n", 120);
        List<LogBatcher.Batch> got = b.due(at(200));
        assertThat(got).hasSize(1);
        assertThat(texts(got)).containsExactly("b", "c");
    }

    @Test
    void aFullBatchGoesBeforeTheInterval() {
        write("a\n", 0);
        b.due(at(0));
        write(numbered(0, Limits.LOG_LINES_MAX_ITEMS), 10);
        List<LogBatcher.Batch> got = b.due(at(10));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).logs().lines()).hasSize(Limits.LOG_LINES_MAX_ITEMS);
    }

    @Test
    void aBatchHoldsAtMost1000Lines() {
        write(numbered(0, 999), 0); // with the bucket's 1000 tokens
        write("last\n", 0);
        write("over\n", 0);
        List<LogBatcher.Batch> got = b.due(at(0));
        assertThat(got.get(0).logs().lines()).hasSize(Limits.LOG_LINES_MAX_ITEMS);
        for (var x : got) assertThat(x.logs().lines().size()).isLessThanOrEqualTo(Limits.LOG_LINES_MAX_ITEMS);
    }

    @Test
    void aBatchStaysUnderItsByteBudget() {
        String line = "q".repeat(16000);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) sb.append(line).append('\n'); // ~960 KB, under the 1 MiB/s bucket
        write(sb.toString(), 0);
        List<LogBatcher.Batch> got = new ArrayList<>(b.due(at(0)));
        got.addAll(b.due(at(200)));
        assertThat(got).hasSizeGreaterThan(1);
        for (var x : got) {
            int size = 0;
            for (LogLine l : x.logs().lines()) size += LogBatcher.cost(l.text());
            assertThat(size).isLessThanOrEqualTo(LogBatcher.BATCH_MAX_BYTES);
        }
        assertThat(texts(got)).hasSize(60);
    }

    @Test
    void controlCharactersCountAsTheirJsonEscape() {
        assertThat(LogBatcher.cost("\u0001")).isEqualTo(LogBatcher.LINE_OVERHEAD_BYTES + 6);
        assertThat(LogBatcher.cost("a")).isEqualTo(LogBatcher.LINE_OVERHEAD_BYTES + 1);
        assertThat(LogBatcher.cost("é")).isEqualTo(LogBatcher.LINE_OVERHEAD_BYTES + 3);
    }

    @Test
    void aBatchIsAValidRecordAndUnderOneMiB() {
        String line = "\u0001".repeat(Limits.LOG_LINE_MAX_LENGTH); // the worst escape: 6 JSON bytes a byte
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) sb.append(line).append('\n');
        write(sb.toString(), 0);
        for (var x : b.due(at(0))) {
            assertThat(Validation.problems(envelope(x))).isEmpty();
            String json = Json.encode(envelope(x));
            assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThan(1 << 20);
        }
    }

    @Test
    void theRateCapAdmits1000LinesAtOnce() {
        write(numbered(0, LogBatcher.RATE_LINES_PER_SECOND), 0);
        List<LogBatcher.Batch> got = b.due(at(0));
        assertThat(texts(got)).hasSize(LogBatcher.RATE_LINES_PER_SECOND);
        assertThat(got.stream().mapToLong(x -> x.logs().dropped()).sum()).isZero();
    }

    @Test
    void linesOverTheCapAreDroppedAndCountedInTheNextBatch() {
        write(numbered(0, 1500), 0);
        List<LogBatcher.Batch> first = b.due(at(0));
        assertThat(texts(first)).hasSize(1000);
        List<LogBatcher.Batch> next = b.due(at(200));
        assertThat(next).hasSize(1);
        assertThat(next.get(0).logs().lines()).isEmpty();
        assertThat(next.get(0).logs().dropped()).isEqualTo(500);
    }

    @Test
    void theDroppedAreTheLatestLinesNotTheFirst() {
        write(numbered(0, 1200), 0);
        List<String> got = texts(b.due(at(0)));
        assertThat(got.get(0)).isEqualTo("line 0");
        assertThat(got.get(got.size() - 1)).isEqualTo("line 999");
    }

    @Test
    void theBucketRefillsAtTheRate() {
        write(numbered(0, 1000), 0);
        b.due(at(0));
        write(numbered(1000, 1200), 100); // 100 ms later: 100 tokens back
        List<LogBatcher.Batch> got = b.due(at(200));
        assertThat(texts(got)).hasSize(100);
        assertThat(got.get(0).logs().dropped()).isEqualTo(100);
    }

    @Test
    void aSteadyFloodShipsAboutTheRate() {
        long shipped = 0, dropped = 0;
        for (int tick = 0; tick < 50; tick++) { // 5 s of 5000 lines/s in 100 ms reads
            write(numbered(0, 500), tick * 100L);
            for (var x : b.due(at(tick * 100L))) {
                shipped += x.logs().lines().size();
                dropped += x.logs().dropped();
            }
        }
        for (var x : b.flushAll(at(5000))) {
            shipped += x.logs().lines().size();
            dropped += x.logs().dropped();
        }
        assertThat(shipped + dropped).isEqualTo(25_000);
        assertThat(shipped).isBetween(5_000L, 6_000L); // 1000/s for 5 s, plus the first second's bucket
    }

    @Test
    void theByteCapDropsBigLines() {
        String line = "b".repeat(10_000);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) sb.append(line).append('\n'); // 2 MB at once: twice a second's bytes
        write(sb.toString(), 0);
        long shipped = 0, dropped = 0;
        for (var x : b.flushAll(at(0))) {
            shipped += x.logs().lines().size();
            dropped += x.logs().dropped();
        }
        assertThat(shipped).isEqualTo(104); // 1 MiB / 10 000 B
        assertThat(dropped).isEqualTo(96);
    }

    @Test
    void eachPodHasItsOwnBucket() {
        LogBatcher.Run other = new LogBatcher.Run("db-1", "shop", "db", 0);
        write(numbered(0, 1500), 0);
        write(other, numbered(0, 10), 0);
        List<LogBatcher.Batch> got = b.flushAll(at(0));
        long db = got.stream().filter(x -> x.logs().pod().equals("db-1")).mapToLong(x -> x.logs().lines().size()).sum();
        long dbDropped = got.stream().filter(x -> x.logs().pod().equals("db-1")).mapToLong(x -> x.logs().dropped()).sum();
        assertThat(db).isEqualTo(10);
        assertThat(dbDropped).isZero();
    }

    @Test
    void podsBatchIndependently() {
        LogBatcher.Run other = new LogBatcher.Run("db-1", "shop", "db", 0);
        write("a\n", 0);
        b.due(at(0));
        write("b\n", 50);
        write(other, "x\n", 50);
        List<LogBatcher.Batch> got = b.due(at(50));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).logs().pod()).isEqualTo("db-1");
    }

    @Test
    void aNewRunClosesThePreviousRunsBatch() {
        write("old\n", 0);
        b.due(at(0));
        write("last words\n", 50);
        write(RUN1, "new\n", 60);
        List<LogBatcher.Batch> got = b.due(at(200));
        assertThat(got).hasSize(2);
        assertThat(got.get(0).logs().restartCount()).isZero();
        assertThat(texts(got.subList(0, 1))).containsExactly("last words");
        assertThat(got.get(1).logs().restartCount()).isEqualTo(1);
        assertThat(texts(got.subList(1, 2))).containsExactly("new");
    }

    @Test
    void aNewRunTurnsThePreviousRunsPieceIntoALine() {
        write("no newline", 0);
        write(RUN1, "next\n", 10);
        List<LogBatcher.Batch> got = b.due(at(10));
        assertThat(got.get(0).logs().restartCount()).isZero();
        assertThat(texts(got.subList(0, 1))).containsExactly("no newline");
    }

    @Test
    void aNewRunGetsAFullBucket() {
        write(numbered(0, 1000), 0);
        write(RUN1, numbered(0, 1000), 10);
        long dropped = b.flushAll(at(10)).stream().mapToLong(x -> x.logs().dropped()).sum();
        assertThat(dropped).isZero();
    }

    @Test
    void endRunShipsThePieceAtTheNextDue() {
        write("bye", 0);
        b.endRun("web-1", at(5));
        assertThat(texts(b.due(at(5)))).containsExactly("bye");
    }

    @Test
    void endRunOfAnUnknownPodIsNothing() {
        b.endRun("nobody", at(0));
        assertThat(b.due(at(0))).isEmpty();
    }

    @Test
    void flushAllIgnoresTheInterval() {
        write("a\n", 0);
        b.due(at(0));
        write("b\n", 10);
        write("c", 10);
        assertThat(texts(b.flushAll(at(10)))).containsExactly("b", "c");
    }

    @Test
    void nothingReadNothingDue() {
        assertThat(b.due(at(0))).isEmpty();
        b.read(RUN0, 0, new byte[0], at(0));
        assertThat(b.due(at(0))).isEmpty();
    }

    @Test
    void aBatchSaysWhereItsBytesEnd() {
        write("a\nb\n", 0);
        assertThat(b.due(at(0)).get(0).endOffset()).isEqualTo(4);
    }

    @Test
    void anUnterminatedPieceIsNotCoveredUntilItShips() {
        write("a\nbc", 0);
        assertThat(b.due(at(0)).get(0).endOffset()).isEqualTo(2);
        assertThat(b.due(at(1000)).get(0).endOffset()).isEqualTo(4);
    }

    @Test
    void droppedLinesAreCoveredToo() {
        write(numbered(0, 1001), 0);
        b.due(at(0));
        var next = b.due(at(200));
        assertThat(next.get(0).endOffset()).isEqualTo(offset);
    }

    @Test
    void aBatchClosedForSizeDoesNotCoverTheLineThatDidNotFit() {
        String line = "q".repeat(16000) + "\n";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) sb.append(line);
        write(sb.toString(), 0);
        List<LogBatcher.Batch> got = b.due(at(0));
        long firstEnd = got.get(0).endOffset();
        assertThat(firstEnd).isEqualTo((long) got.get(0).logs().lines().size() * line.length());
    }

    @Test
    void offsetsRestartAfterARotation() {
        b.read(RUN0, 5000, "a\n".getBytes(StandardCharsets.UTF_8), at(0));
        b.due(at(0));
        b.read(RUN0, 0, "b\n".getBytes(StandardCharsets.UTF_8), at(300));
        assertThat(b.due(at(300)).get(0).endOffset()).isEqualTo(2);
    }

    @Test
    void aQuietPodIsForgottenOnceItsBucketIsFull() {
        write("a\n", 0);
        b.due(at(0));
        b.due(at(1000));
        assertThat(b.pending("web-1")).isFalse();
    }

    @Test
    void aPodThatPausesBrieflyKeepsItsEmptiedBucket() {
        write(numbered(0, 1000), 0);
        b.due(at(0));
        b.due(at(250)); // nothing pending, but the bucket is nearly empty: not forgotten
        write(numbered(0, 1000), 300);
        long dropped = b.flushAll(at(300)).stream().mapToLong(x -> x.logs().dropped()).sum();
        assertThat(dropped).isEqualTo(700);
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        b.read(RUN0, 0, new byte[] {(byte) 0xFF, 'o', 'k', '\n'}, at(0));
        assertThat(texts(b.due(at(0)))).containsExactly("\uFFFDok");
    }

    @Test
    void everyBatchIsValidForTheBus() {
        write(numbered(0, 2500) + "tail", 0);
        for (long t = 0; t <= 3000; t += 100) {
            for (var x : b.due(at(t))) assertThat(Validation.problems(envelope(x))).isEmpty();
        }
    }
}
