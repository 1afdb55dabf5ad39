package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodUnhealthy;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A source that reads less than its topic carries skips the rest (a good record another reader wants), while a type
 * the topic does not carry is still set aside.
 */
class SourceAcceptsTest {
    static RawRecord on(Topic topic, Payload p) {
        String key = topic.carries(p) ? topic.keyOf(p) : "web-7d4kq";
        return new RawRecord(topic.topicName(), 0, 7, 0, key, Json.encode(Envelope.spontaneous(p, "test", Instant.now())));
    }

    @Test
    void aCarriedTypeTheSourceDoesNotReadIsNotAcceptedNotBad() throws Exception {
        RawRecord unhealthy = on(Topic.POD_STATUS, Samples.of(PodUnhealthy.class));
        assertThatThrownBy(() -> ServiceLoop.admit(unhealthy, Set.of(PodStatusChanged.class), RecordLimits.defaults()))
                .isInstanceOf(ServiceLoop.NotAccepted.class).hasMessage("not read here: PodUnhealthy on berth.pod-status");
        assertThat(ServiceLoop.admit(unhealthy, Set.of(), RecordLimits.defaults()).data()).isInstanceOf(PodUnhealthy.class);
    }

    @Test
    void aTypeTheTopicDoesNotCarryIsStillSetAside() {
        RawRecord heartbeat = on(Topic.POD_STATUS, Samples.of(NodeHeartbeat.class));
        assertThatThrownBy(() -> ServiceLoop.admit(heartbeat, Set.of(PodStatusChanged.class), RecordLimits.defaults()))
                .isInstanceOf(BadRecordException.class).isNotInstanceOf(ServiceLoop.NotAccepted.class)
                .hasMessage("unexpected NodeHeartbeat on berth.pod-status");
    }
}
