package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.RawRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogRebuildTest {
    private static RawRecord at(int partition, long offset, long time) {
        return new RawRecord("berth.pods", partition, offset, time, "k", "v");
    }

    @Test
    void partitionsAreInterleavedByTime() {
        List<RawRecord> read = List.of(at(1, 0, 20), at(1, 1, 40), at(0, 0, 10), at(0, 1, 30));
        assertThat(LogRebuild.inArrivalOrder(read)).extracting(RawRecord::timestamp).containsExactly(10L, 20L, 30L, 40L);
    }

    @Test
    void aPartitionKeepsItsOwnOrderEvenWhenItsClockWentBack() {
        List<RawRecord> read = List.of(at(0, 0, 50), at(0, 1, 10), at(1, 0, 30));
        assertThat(LogRebuild.inArrivalOrder(read)).extracting(r -> r.partition() + "@" + r.offset())
                .containsExactly("1@0", "0@0", "0@1");
    }
}
