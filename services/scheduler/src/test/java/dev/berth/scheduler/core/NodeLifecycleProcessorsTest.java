package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodUnschedulable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the scheduler follows the controller's node statuses (NotReady, cordoned) and lost pods. */
class NodeLifecycleProcessorsTest {
    private final Processors core = processors();
    private final SchedulerState state = core.state();

    private void nodes(String... names) {
        for (String n : names) core.onHeartbeat(standardNode(n), T0, T0);
    }

    private static NodeStatusChanged status(String node, NodeCondition condition, boolean cordoned) {
        return new NodeStatusChanged(node, condition, cordoned, "test", T0);
    }

    private static NodeStatusChanged notReady(String node) { return status(node, NodeCondition.NotReady, false); }

    private static NodeStatusChanged cordoned(String node) { return status(node, NodeCondition.Ready, true); }

    private static NodeStatusChanged ready(String node) { return status(node, NodeCondition.Ready, false); }

    private static List<String> placedOn(List<Outbound> out) {
        return payloads(out, PodPlaced.class).stream().map(PodPlaced::node).toList();
    }

    private static String message(List<Outbound> out) {
        return payloads(out, PodUnschedulable.class).get(0).message();
    }

    // ---- filters ----

    @Test
    void newPodsGoOnlyToReadyUncordonedNodes() {
        nodes("node-a", "node-b", "node-c");
        core.onNodeStatus(notReady("node-a"), T0);
        core.onNodeStatus(cordoned("node-c"), T0);

        for (int i = 1; i <= 4; i++) {
            assertThat(placedOn(core.onPodCreated(pod("web-" + i, 100, 64), at(0.1 * i)))).containsExactly("node-b");
        }
    }

    @Test
    void theUnschedulableMessageCountsNotReadyAndCordonedNodesLikeKubernetes() {
        nodes("node-a", "node-b", "node-c", "node-d");
        core.onNodeStatus(notReady("node-a"), T0);
        core.onNodeStatus(notReady("node-b"), T0);
        core.onNodeStatus(cordoned("node-c"), T0);

        List<Outbound> out = core.onPodCreated(pod("huge", 4000, 64), T0);

        assertThat(message(out)).isEqualTo("0/4 nodes available: 2 node not ready, 1 Insufficient cpu, 1 node cordoned.");
        assertThat(payloads(out, PodUnschedulable.class).get(0).filtered())
                .containsEntry("node not ready", 2).containsEntry("node cordoned", 1).containsEntry("Insufficient cpu", 1);
    }

    @Test
    void aNodeNotReadyAndCordonedCountsAsNotReady() {
        nodes("node-a");
        core.onNodeStatus(status("node-a", NodeCondition.NotReady, true), T0);
        assertThat(message(core.onPodCreated(pod("web-1", 100, 64), T0))).isEqualTo("0/1 nodes available: 1 node not ready.");
    }

    @Test
    void theControllersStatusDecidesAndHeartbeatAgeOnlyWhereThereIsNone() {
        nodes("node-a", "node-b");
        core.onNodeStatus(ready("node-a"), T0);
        // Ten seconds later node-a's heartbeats are as stale as node-b's, but the controller still says Ready.
        assertThat(placedOn(core.onPodCreated(pod("web-1", 100, 64), at(10)))).containsExactly("node-a");

        core.onNodeStatus(notReady("node-a"), at(10));
        core.onHeartbeat(standardNode("node-a"), at(10), at(10)); // fresh again, but NotReady until the controller says Ready
        assertThat(message(core.onPodCreated(pod("web-2", 100, 64), at(10.5))))
                .isEqualTo("0/2 nodes available: 2 node not ready.");
    }

    // ---- retries ----

    @Test
    void aPendingPodIsPlacedWhenItsNodeBecomesReady() {
        nodes("node-a");
        core.onNodeStatus(notReady("node-a"), T0);
        assertThat(message(core.onPodCreated(pod("web-1", 100, 64), T0))).isEqualTo("0/1 nodes available: 1 node not ready.");
        assertThat(core.resync(at(1))).as("nothing changed").isEmpty();

        List<Outbound> out = core.onNodeStatus(ready("node-a"), at(2));

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.topic()).isEqualTo(Topic.PLACEMENTS);
            assertThat(o.key()).isEqualTo("node-a");
        });
        assertThat(state.binding("web-1").node()).isEqualTo("node-a");
    }

    @Test
    void aPendingPodIsPlacedWhenItsNodeIsUncordoned() {
        nodes("node-a");
        core.onNodeStatus(cordoned("node-a"), T0);
        assertThat(message(core.onPodCreated(pod("web-1", 100, 64), T0))).isEqualTo("0/1 nodes available: 1 node cordoned.");

        assertThat(placedOn(core.onNodeStatus(ready("node-a"), at(1)))).containsExactly("node-a");
    }

    @Test
    void aPendingPodsMessageFollowsTheNodesStatus() {
        nodes("node-a", "node-b");
        core.onNodeStatus(notReady("node-a"), T0);
        core.onNodeStatus(notReady("node-b"), T0);
        assertThat(message(core.onPodCreated(pod("web-1", 100, 64), T0))).isEqualTo("0/2 nodes available: 2 node not ready.");

        List<Outbound> out = core.onNodeStatus(cordoned("node-b"), at(1));

        assertThat(message(out)).isEqualTo("0/2 nodes available: 1 node cordoned, 1 node not ready.");
        assertThat(core.onNodeStatus(status("node-a", NodeCondition.NotReady, true), at(2)))
                .as("a NotReady node counts as not ready, cordoned or not: same message, not repeated").isEmpty();
    }

    @Test
    void theSameStatusAgainChangesNothing() {
        nodes("node-a");
        core.onNodeStatus(notReady("node-a"), T0);
        core.onPodCreated(pod("web-1", 100, 64), T0);

        assertThat(core.onNodeStatus(notReady("node-a"), at(1))).isEmpty();
    }

    @Test
    void aStatusWithoutANodeIsRefusedAndChangesNothing() {
        assertThatIllegalArgumentException().isThrownBy(() -> core.onNodeStatus(notReady(" "), T0));
        assertThat(state.snapshot().statuses()).isEmpty();
    }

    // ---- lost pods ----

    @Test
    void aLostPodIsReleasedOnItsNodeAndItsCapacityFreed() {
        nodes("node-a");
        core.onPodCreated(pod("big-1", 800, 256), T0);
        core.onNodeStatus(notReady("node-a"), at(3));

        List<Outbound> out = core.onPodLost(new PodLost("big-1", "web", "node-a", "node node-a NotReady"), at(5));

        assertThat(out).containsExactly(new Outbound(Topic.PLACEMENTS, "node-a", new PodReleased("big-1", "node-a", "node lost")));
        assertThat(state.binding("big-1")).isNull();
        assertThat(state.allocation("node-a")).isEqualTo(SchedulerState.Allocation.NONE);
        assertThat(core.onPodLost(new PodLost("big-1", "web", "node-a", "again"), at(6))).as("released once").isEmpty();
    }

    @Test
    void theReplacementOfALostPodGoesToAHealthyNodeAndTheReturningNodeGetsRoomAgain() {
        nodes("node-a", "node-b");
        core.onPodCreated(pod("web-1", 600, 256), T0);
        String lostNode = state.binding("web-1").node();
        String healthy = lostNode.equals("node-a") ? "node-b" : "node-a";
        core.onPodCreated(pod("web-2", 600, 256), T0); // fills the other node
        core.onNodeStatus(notReady(lostNode), at(3));

        core.onPodLost(new PodLost("web-1", "web", lostNode, "node lost"), at(5));
        List<Outbound> replacement = core.onPodCreated(pod("web-3", 600, 256), at(5));
        assertThat(message(replacement)).isEqualTo("0/2 nodes available: 1 Insufficient cpu, 1 node not ready.");

        assertThat(placedOn(core.onNodeStatus(ready(lostNode), at(9)))).containsExactly(lostNode);
        assertThat(state.allocation(healthy).pods()).isEqualTo(1);
    }

    @Test
    void aLostPodThatWasStillPendingIsDropped() {
        core.onPodCreated(pod("web-1", 100, 64), T0);

        assertThat(core.onPodLost(new PodLost("web-1", "web", "node-a", "node lost"), at(1))).isEmpty();
        assertThat(state.isKnown("web-1")).isFalse();
        nodes("node-a");
        assertThat(core.resync(at(2))).isEmpty();
    }
}
