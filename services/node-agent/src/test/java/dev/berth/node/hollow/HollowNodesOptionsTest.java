package dev.berth.node.hollow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HollowNodesOptionsTest {

    @Test
    void nodesAreLabelledWithZonesRoundRobin() {
        HollowNodes.Options o = HollowNodes.Options.of(5).withZones(2);
        assertThat(o.labels(1)).isEqualTo(Map.of("topology.kubernetes.io/zone", "zone-1"));
        assertThat(o.labels(2)).isEqualTo(Map.of("topology.kubernetes.io/zone", "zone-2"));
        assertThat(o.labels(3)).isEqualTo(Map.of("topology.kubernetes.io/zone", "zone-1"));
    }

    @Test
    void withoutZonesNodesHaveNoLabels() {
        assertThat(HollowNodes.Options.of(3).labels(1)).isEmpty();
    }
}
