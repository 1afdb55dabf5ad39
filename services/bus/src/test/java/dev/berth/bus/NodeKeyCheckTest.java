package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.ProxyMetrics;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ACLs let every node's principal write the node topics and cannot see keys: the door sets aside a record
 * keyed for another node (or pod) than its payload names, so node b's key always holds node b's records.
 */
class NodeKeyCheckTest {
    static RawRecord on(Topic topic, String key, Payload p) {
        return new RawRecord(topic.topicName(), 0, 7, 0, key, Json.encode(Envelope.spontaneous(p, "test", Instant.now())));
    }

    @Test
    void theTopicsANodeWritesAreKeyChecked() {
        assertThat(java.util.Arrays.stream(Topic.values()).filter(Topic::keyChecked))
                .containsExactlyInAnyOrder(Topic.NODE_HEARTBEATS, Topic.POD_STATUS, Topic.RESOURCE_METRICS, Topic.LOGS, Topic.PROXY_METRICS);
    }

    @Test
    void aRecordUnderItsOwnKeyPassesOneUnderAnotherIsSetAside() throws Exception {
        for (Class<? extends Payload> type : java.util.List.of(NodeHeartbeat.class, PodStatusChanged.class, NodeMetrics.class, ProxyMetrics.class)) {
            Payload p = Samples.of(type);
            Topic topic = Topic.of(p);
            assertThat(ServiceLoop.admit(on(topic, topic.keyOf(p), p), Set.of(), RecordLimits.defaults()).data()).isEqualTo(p);
            assertThatThrownBy(() -> ServiceLoop.admit(on(topic, "someone-else", p), Set.of(), RecordLimits.defaults()))
                    .as(type.getSimpleName()).isInstanceOf(BadRecordException.class)
                    .hasMessage("record key someone-else is not the " + topic.keyOf(p) + " its " + type.getSimpleName() + " names");
            assertThatThrownBy(() -> ServiceLoop.admit(on(topic, null, p), Set.of(), RecordLimits.defaults()))
                    .isInstanceOf(BadRecordException.class);
        }
    }

    @Test
    void recordsOfTheControlPlaneAreNotKeyChecked() {
        assertThat(Topic.PLACEMENTS.keyChecked()).isFalse(); // one writer, the scheduler: its ACL is the check
        assertThat(Topic.COMMANDS.keyChecked()).isFalse();
        assertThat(Topic.DEAD_LETTERS.keyChecked()).isFalse();
    }
}
