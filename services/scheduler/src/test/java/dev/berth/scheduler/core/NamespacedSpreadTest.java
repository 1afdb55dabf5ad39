package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.Outbound;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two namespaces may hold a deployment of the same name: replicas are counted per (namespace, name). */
class NamespacedSpreadTest {

    @Test
    void theSameNameInTwoNamespacesIsSpreadAsTwoDeployments() {
        SchedulerState state = new SchedulerState();
        Processors core = processors(state);
        core.onHeartbeat(standardNode("node-a"), T0, T0);
        core.onHeartbeat(standardNode("node-b"), T0, T0);

        List<Outbound> out = new ArrayList<>();
        out.addAll(core.onPodCreated(new PodCreated("web-aaaaa", "web", 1, template(100, 64, "Always"), "shop"), T0));
        out.addAll(core.onPodCreated(new PodCreated("web-bbbbb", "web", 1, template(100, 64, "Always")), T0));
        out.addAll(core.cycle(T0));
        var placed = payloads(out, PodPlaced.class);

        assertThat(placed).extracting(PodPlaced::namespace).containsExactlyInAnyOrder("shop", "default");
        assertThat(state.replicaSpread("shop/web").total()).isEqualTo(1);
        assertThat(state.replicaSpread("web").total()).isEqualTo(1);
    }

    @Test
    void placementsReadBackCountUnderTheirNamespace() {
        SchedulerState state = new SchedulerState();
        Appliers.podPlaced(state, new PodPlaced("web-aaaaa", "node-a", "web", template(100, 64, "Always"), 1, null, null, null, "shop"));
        Appliers.podPlaced(state, new PodPlaced("web-bbbbb", "node-a", "web", template(100, 64, "Always"), 1, null, null));

        assertThat(state.replicaSpread("shop/web").onNode("node-a")).isEqualTo(1);
        assertThat(state.replicaSpread("web").onNode("node-a")).isEqualTo(1);
    }
}
