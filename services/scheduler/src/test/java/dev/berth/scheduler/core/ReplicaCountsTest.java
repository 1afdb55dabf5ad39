package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.Taint;
import dev.berth.scheduler.core.SchedulerState.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-deployment replica counts follow bindings, releases, ended pods and zone labels; labels and taints reach the state. */
class ReplicaCountsTest {
    private final SchedulerState state = new SchedulerState();

    private void node(String name, String zone) {
        Map<String, String> labels = zone == null ? Map.of() : Map.of("zone", zone);
        state.putNode(Node.of(standardNode(name).withLabelsAndTaints(labels, List.of()), T0));
    }

    private void bind(String pod, String node) {
        Appliers.apply(state, new PodPlaced(pod, node, "web", template(10, 10, "Never"), 1, Map.of(), List.of()));
    }

    private ReplicaCounts.Spread web() { return state.replicaSpread("web"); }

    @Test
    void countsFollowBindingsAndReleases() {
        node("n1", "a");
        node("n2", "b");
        bind("p1", "n1");
        bind("p2", "n1");
        bind("p3", "n2");
        assertThat(web().onNode("n1")).isEqualTo(2);
        assertThat(web().maxOnNode()).isEqualTo(2);
        assertThat(web().inZone("a")).isEqualTo(2);
        assertThat(web().maxInZone()).isEqualTo(2);
        assertThat(web().total()).isEqualTo(3);

        Appliers.apply(state, new PodReleased("p1", "n1", "pod deleted"));
        Appliers.apply(state, new PodReleased("p2", "n1", "pod deleted"));
        assertThat(web().onNode("n1")).isZero();
        assertThat(web().maxOnNode()).as("the max falls with the last pod of the fullest node").isEqualTo(1);
        assertThat(web().maxInZone()).isEqualTo(1);

        Appliers.apply(state, status("p3", "n2", ContainerState.Exited, 0));
        assertThat(web()).as("an ended pod (Never) holds nothing, so it counts no more").isSameAs(ReplicaCounts.Spread.NONE);
    }

    @Test
    void aNodeChangingZoneTakesItsPodsAlong() {
        node("n1", "a");
        bind("p1", "n1");
        node("n1", "b");
        assertThat(web().inZone("a")).isZero();
        assertThat(web().inZone("b")).isEqualTo(1);
        node("n1", null);
        assertThat(web().inZone("b")).isZero();
        assertThat(web().maxInZone()).isZero();
        assertThat(web().onNode("n1")).isEqualTo(1);
    }

    @Test
    void podsBoundBeforeTheirNodesHeartbeatJoinItsZoneWhenItArrives() {
        bind("p1", "n1"); // a rebuild folds placements before any heartbeat is heard
        assertThat(web().inZone("a")).isZero();
        node("n1", "a");
        assertThat(web().inZone("a")).isEqualTo(1);
    }

    @Test
    void heartbeatLabelsAndTaintsReachTheNodeView() {
        NodeHeartbeat hb = standardNode("n1").withLabelsAndTaints(Map.of("topology.kubernetes.io/zone", "a", "disk", "ssd"),
                List.of(new Taint("dedicated", "gpu", "NoSchedule")));
        state.putNode(Node.of(hb, T0));

        NodeView v = state.view(state.node("n1"));
        assertThat(v.labels()).isEqualTo(hb.labels());
        assertThat(v.taints()).containsExactly(new Taint("dedicated", "gpu", "NoSchedule"));
        assertThat(v.zone()).isEqualTo("a");
        assertThat(state.node("n1").placementDiffers(Node.of(standardNode("n1"), T0))).isTrue();
        assertThat(state.node("n1").placementDiffers(Node.of(hb, at(1)))).as("only the time differs").isFalse();
    }
}
