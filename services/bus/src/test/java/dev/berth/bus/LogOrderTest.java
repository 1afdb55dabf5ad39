package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogOrderTest {

    private static RawRecord r(String topic, int partition, long offset, long time) {
        return new RawRecord(topic, partition, offset, time, "k", topic + partition + "@" + offset);
    }

    @Test
    void mergesTopicsByTime() {
        List<RawRecord> read = List.of(
                r("berth.pods", 0, 0, 100), r("berth.pods", 0, 1, 300),
                r("berth.pod-status", 0, 0, 200), r("berth.pod-status", 0, 1, 400));

        assertThat(LogOrder.byTime(read)).extracting(RawRecord::timestamp).containsExactly(100L, 200L, 300L, 400L);
    }

    @Test
    void keepsLogOrderWithinAPartitionEvenIfClocksDisagree() {
        List<RawRecord> read = List.of(r("berth.pods", 0, 0, 500), r("berth.pods", 0, 1, 100), r("berth.deployments", 1, 0, 300));

        assertThat(LogOrder.byTime(read)).extracting(RawRecord::offset, RawRecord::topic).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0L, "berth.deployments"),
                org.assertj.core.groups.Tuple.tuple(0L, "berth.pods"),
                org.assertj.core.groups.Tuple.tuple(1L, "berth.pods"));
    }

    @Test
    void emptyStaysEmpty() {
        assertThat(LogOrder.byTime(List.of())).isEmpty();
    }
}
