package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Dead letters stay small whatever they set aside; internal records are checked before a core sees them. */
class DeadLetterTest {
    private static final Instant NOW = Instant.parse("2026-12-01T21:00:00Z");
    private final Random random = new Random(9);

    private static RawRecord record(String value) { return new RawRecord("berth.pod-status", 1, 42, 0, "k", value); }

    /** Random values of every sort and size: the letter's JSON stays within a few KiB and its excerpt is a prefix. */
    @RepeatedTest(200)
    void anyValueMakesASmallLetter() {
        int length = random.nextInt(4) == 0 ? random.nextInt(300_000) : random.nextInt(3000);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(5);
            b.append(switch (kind) {
                case 0 -> (char) random.nextInt(0x20);            // control characters: 6 chars each in JSON
                case 1 -> '"';
                case 2 -> "\uD83D\uDE00";                          // a surrogate pair
                case 3 -> (char) ('a' + random.nextInt(26));
                default -> '\\';
            });
        }
        String value = b.toString();
        DeadLetter letter = DeadLetter.of(record(value), "why ".repeat(random.nextInt(2000)), "test", NOW);
        String json = letter.toJson();
        assertThat(json.length()).isLessThanOrEqualTo(4 * 1024);
        assertThat(Json.write(letter.excerpt()).length() - 2).isLessThanOrEqualTo(Excerpt.DEAD_LETTER_CHARS);
        assertThat(value).startsWith(letter.excerpt());
        assertThat(letter.truncated()).isEqualTo(letter.excerpt().length() < value.length());
        if (!letter.excerpt().isEmpty()) assertThat(Character.isHighSurrogate(letter.excerpt().charAt(letter.excerpt().length() - 1))).isFalse();
    }

    @Test
    void aSecretsRecordIsSetAsideWithoutItsValues() {
        String bad = "{\"type\":\"ApplySecret\",\"data\":{\"secret\":{\"name\":\"db\",\"data\":{\"password\":\"czNjcjN0\"}},\"x\":";
        for (RawRecord r : List.of(new RawRecord("berth.commands", 0, 7, 0, "db", bad), new RawRecord("berth.secrets", 0, 7, 0, "db", "garbage czNjcjN0"))) {
            DeadLetter letter = DeadLetter.of(r, "not JSON", "controller", NOW);
            assertThat(letter.toJson()).doesNotContain("czNjcjN0");
            assertThat(letter.excerpt()).isEqualTo(DeadLetter.SECRET_REDACTED);
            assertThat(letter.truncated()).isTrue();
            assertThat(letter.size()).isEqualTo(r.size());
        }
    }

    @Test
    void aNullValueHasNoExcerpt() {
        DeadLetter letter = DeadLetter.of(record(null), "empty", "test", NOW);
        assertThat(letter.excerpt()).isNull();
        assertThat(letter.size()).isZero();
        assertThat(letter.truncated()).isFalse();
    }

    @Test
    void theOldDeadLetterValueCarriesTheNewShape() throws Exception {
        DeadLetter letter = DeadLetter.fromJson(Publisher.deadLetterValue("berth.pods", 2, 7, "x".repeat(10_000), "bad", "node-agent/n1"));
        assertThat(letter.topic()).isEqualTo("berth.pods");
        assertThat(letter.offset()).isEqualTo(7);
        assertThat(letter.size()).isEqualTo(10_000);
        assertThat(letter.truncated()).isTrue();
    }

    // ---- structural checks of internal records ----

    private static final dev.berth.bus.contract.NodeResources RES = new dev.berth.bus.contract.NodeResources(1000, 1 << 30, 110);

    @Test
    void wellFormedRecordsPass() {
        for (Payload p : List.<Payload>of(
                new PodPlaced("web-abcde", "node-1.example", "web", Samples.template(), 1, null, null),
                new PodCreated("web-abcde", "web", 1, Samples.template()),
                new PodStatusChanged("web-abcde", "node-1", ContainerState.Running, null, null, null, 0),
                new PodReleased("web-abcde", "node-1", "deleted"),
                new NodeHeartbeat("node-1", RES, RES, List.of(), List.of(), 1, NOW),
                new NodeStatusChanged("node-1", dev.berth.bus.contract.NodeCondition.Ready, false, "ok", null))) {
            assertThat(Validation.problems(p)).as("%s", p).isEmpty();
        }
    }

    @Test
    void aPlacementWithoutATemplateOrWithABadPodNameIsRefused() {
        assertThat(Validation.problems(new PodPlaced("web-abcde", "node-1", "web", null, 1, null, null)))
                .singleElement().asString().startsWith("/template");
        assertThat(Validation.problems(new PodPlaced("../../etc", "node-1", "web", Samples.template(), 1, null, null)))
                .singleElement().asString().startsWith("/pod").contains("DNS-1123 label");
        assertThat(Validation.problems(new PodPlaced("a".repeat(64), "node-1", "web", Samples.template(), 1, null, null)))
                .hasSize(1);
        assertThat(Validation.problems(new PodPlaced("web-abcde", "Node_1", "web", Samples.template(), 1, null, null)))
                .singleElement().asString().startsWith("/node");
    }

    @Test
    void missingFieldsAreRefused() {
        assertThat(Validation.problems(new PodStatusChanged(null, "node-1", null, null, null, null, 0)))
                .anySatisfy(p -> assertThat(p).startsWith("/pod")).anySatisfy(p -> assertThat(p).startsWith("/state"));
        assertThat(Validation.problems(new NodeHeartbeat(null, null, null, null, null, 0, null)))
                .anySatisfy(p -> assertThat(p).startsWith("/node")).anySatisfy(p -> assertThat(p).startsWith("/capacity"));
        assertThat(Validation.problems(new PodCreated("web-abcde", " ", 1, null)))
                .anySatisfy(p -> assertThat(p).startsWith("/deployment")).anySatisfy(p -> assertThat(p).startsWith("/template"));
    }
}
