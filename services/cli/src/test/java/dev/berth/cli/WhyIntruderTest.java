package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodIntruderFound;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `berth why` of an intruder: the forged placement (with who wrote it), what the node did, the controller's finding. */
class WhyIntruderTest {
    @Test
    void theChainShowsTheForgedPlacementTheNodesReportsAndTheFinding() {
        Instant t = Instant.parse("2026-12-03T07:00:00Z");
        PodTemplate template = new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), java.util.Map.of(), new dev.berth.bus.contract.Resources(100, 64L << 20), "Always", 1);
        List<Envelope> log = List.of(
                Envelope.spontaneous(new PodPlaced("miner", "node-1", "miner", template, 1, null, null), "kcat", t),
                Envelope.spontaneous(new PodIntruderFound("node-1", "miner", PodIntruderFound.BY_PLACEMENT, null, "never created"), "controller", t.plusMillis(5)),
                Envelope.spontaneous(new PodStatusChanged("miner", "node-1", ContainerState.Stopped, null, null, null, 0), "node-agent/node-1", t.plusMillis(40)));
        PodHistory.Chain chain = PodHistory.of("miner", log);
        assertThat(chain.events()).extracting(e -> e.data().getClass().getSimpleName())
                .containsExactly("PodPlaced", "PodIntruderFound", "PodStatusChanged");
    }
}
