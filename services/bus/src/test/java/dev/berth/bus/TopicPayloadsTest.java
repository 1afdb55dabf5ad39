package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.NodeEvent;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodEvent;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every payload type travels on exactly one topic, under the key that topic's ordering needs. */
class TopicPayloadsTest {

    @Test
    void everyPayloadTypeIsCarriedByExactlyOneTopic() {
        for (Class<? extends Payload> type : Payloads.ALL) {
            List<Topic> carriers = Arrays.stream(Topic.values()).filter(t -> t.carries(type)).toList();
            assertThat(carriers).as(type.getSimpleName()).hasSize(1);
        }
        assertThat(Topic.DEAD_LETTERS.payloads()).isEmpty();
    }

    @Test
    void keysFollowTheSubjectExceptPlacementsWhichAreKeyedByNode() {
        for (Class<? extends Payload> type : Payloads.ALL) {
            Payload sample = Samples.of(type);
            Topic topic = Topic.of(sample);
            String key = topic.keyOf(sample);
            assertThat(key).as(type.getSimpleName()).isNotBlank();
            if (sample instanceof PodPlaced p) assertThat(key).isEqualTo(p.node());
            else if (sample instanceof PodReleased r) assertThat(key).isEqualTo(r.node());
            else if (sample instanceof PodEvent p) assertThat(key).isEqualTo(p.pod());
            else if (sample instanceof NodeEvent n) assertThat(key).isEqualTo(n.node());
        }
    }

    @Test
    void aPayloadOnTheWrongTopicHasNoKeyThere() {
        Payload heartbeat = Samples.of(dev.berth.bus.contract.NodeHeartbeat.class);
        assertThat(Topic.PODS.carries(heartbeat)).isFalse();
        assertThatThrownBy(() -> Topic.PODS.keyOf(heartbeat)).hasMessageContaining("berth.pods does not carry NodeHeartbeat");
    }

    /** docs/topics.md names, on each topic's row, every payload type the topic carries. */
    @Test
    void theDocsTableNamesWhatEachTopicCarries() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("../../docs/topics.md")).stream().filter(l -> l.startsWith("| `berth.")).toList();
        for (Class<? extends Payload> type : Payloads.ALL) {
            Topic topic = Topic.of(Samples.of(type));
            String row = rows.stream().filter(r -> r.startsWith("| `" + topic.topicName() + "`")).findFirst().orElseThrow();
            assertThat(row).as("row of %s", topic.topicName()).contains(type.getSimpleName());
        }
    }
}
