package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.NODE;
import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.exit;
import static dev.berth.node.core.Fixtures.placement;
import static dev.berth.node.core.Fixtures.running;
import static dev.berth.node.core.Fixtures.states;
import static dev.berth.node.core.Fixtures.withPods;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeCoreTest {

    @Test
    void placementsForOtherNodesAreIgnored() {
        NodeState s = NodeCore.placed(NodeState.empty(NODE), placement("web-a", "node-2"));
        assertThat(s.desired()).isEmpty();
        assertThat(NodeCore.released(withPods("web-a"), new PodReleased("web-a", "node-2", "x")).desired()).hasSize(1);
    }

    @Test
    void reconcileStartsEveryDesiredPodOnceAndReportsStarting() {
        Decision<NodeState> d = NodeCore.reconcile(withPods("web-a", "web-b"), T0);

        assertThat(d.effects()).containsExactly(
                new NodeAction.StartContainer("web-a", Samples.template().named("web"), 0, 0),
                new NodeAction.StartContainer("web-b", Samples.template().named("web"), 0, 0));
        assertThat(states(d)).containsExactly(ContainerState.Starting, ContainerState.Starting);
        assertThat(d.outputs()).allMatch(o -> o.topic() == Topic.POD_STATUS);

        Decision<NodeState> again = NodeCore.reconcile(d.state(), T0);
        assertThat(again.effects()).isEmpty();
        assertThat(again.outputs()).isEmpty();
    }

    @Test
    void startedContainerIsRunningSinceNow() {
        NodeState s = NodeCore.reconcile(withPods("web-a"), T0).state();
        Decision<NodeState> d = NodeCore.started(s, "web-a", 4242, T0);

        PodRuntime r = d.state().actual().get("web-a");
        assertThat(r.state()).isEqualTo(ContainerState.Running);
        assertThat(r.startedAt()).isEqualTo(T0);
        PodStatusChanged st = (PodStatusChanged) d.outputs().get(0).payload();
        assertThat(st.state()).isEqualTo(ContainerState.Running);
        assertThat(st.message()).contains("4242");
        assertThat(st.node()).isEqualTo(NODE);
    }

    @Test
    void startedIsIgnoredUnlessStarting() {
        NodeState s = running(withPods("web-a"), "web-a", T0);
        assertThat(NodeCore.started(s, "web-a", 1, T0).outputs()).isEmpty();
        assertThat(NodeCore.started(s, "nope", 1, T0).outputs()).isEmpty();
    }

    @Test
    void releasedRunningPodIsStoppedWithItsGracePeriod() {
        NodeState s = running(withPods("web-a"), "web-a", T0);
        s = NodeCore.released(s, new PodReleased("web-a", NODE, "deleted"));

        Decision<NodeState> d = NodeCore.reconcile(s, T0);

        assertThat(d.effects()).containsExactly(new NodeAction.StopContainer("web-a", Samples.template().terminationGracePeriodSeconds()));
        assertThat(states(d)).containsExactly(ContainerState.Terminating);
        assertThat(NodeCore.reconcile(d.state(), T0).effects()).as("no second stop while terminating").isEmpty();
    }

    @Test
    void podReleasedWhileStartingIsStoppedOnceItRuns() {
        NodeState s = NodeCore.reconcile(withPods("web-a"), T0).state();
        s = NodeCore.released(s, new PodReleased("web-a", NODE, "deleted"));
        assertThat(NodeCore.reconcile(s, T0).effects()).isEmpty();

        s = NodeCore.started(s, "web-a", 7, T0).state();
        assertThat(NodeCore.reconcile(s, T0).effects()).containsExactly(new NodeAction.StopContainer("web-a", 10));
    }

    @Test
    void releasedPodWaitingForItsRestartIsRemovedNotRestarted() {
        NodeState s = running(withPods("web-a"), "web-a", T0);
        s = Restarts.exited(s, exit(s, "web-a", 1), T0).state();
        s = NodeCore.released(s, new PodReleased("web-a", NODE, "deleted"));

        Decision<NodeState> d = NodeCore.reconcile(s, T0.plusSeconds(3600));

        assertThat(d.effects()).containsExactly(new NodeAction.StopContainer("web-a", 10));
        assertThat(NodeCore.nextWakeUp(d.state())).isEmpty();
    }

    @Test
    void exitOfAContainerBeingStoppedIsNotAnError() {
        NodeState s = running(withPods("web-a"), "web-a", T0);
        s = NodeCore.reconcile(NodeCore.released(s, new PodReleased("web-a", NODE, "deleted")), T0).state();

        assertThat(Restarts.exited(s, exit(s, "web-a", 143), T0).outputs()).isEmpty();
        Decision<NodeState> stopped = NodeCore.stopped(s, "web-a");
        assertThat(states(stopped)).containsExactly(ContainerState.Stopped);
        assertThat(stopped.state().actual()).isEmpty();
    }

    @Test
    void shutdownStopsEverythingEvenDesiredAndWaitingPods() {
        NodeState s = running(withPods("web-a", "web-b"), "web-a", T0);
        s = Restarts.exited(s, exit(s, "web-a", 1), T0).state();
        Decision<NodeState> d = NodeCore.shutdown(s);

        assertThat(d.effects()).hasSize(2).allMatch(a -> a instanceof NodeAction.StopContainer);
        assertThat(states(d)).containsOnly(ContainerState.Terminating);
        assertThat(NodeCore.nextWakeUp(d.state())).isEmpty();
    }

    @Test
    void heartbeatReportsAllocatableAndRunningPods() {
        NodeState s = NodeCore.reconcile(withPods("web-a", "web-b"), T0).state();
        s = NodeCore.started(s, "web-b", 1, T0).state();
        NodeResources capacity = new NodeResources(2000, 1024 * Samples.MI, 110);

        NodeHeartbeat hb = NodeCore.heartbeat(s, capacity, List.of("busybox"), 5, Instant.EPOCH);

        assertThat(hb.allocatable()).isEqualTo(new NodeResources(1500, (1024 - 128) * Samples.MI, 108));
        assertThat(hb.pods()).containsExactly("web-b");
        assertThat(hb.images()).containsExactly("busybox");
        assertThat(hb.sequence()).isEqualTo(5);
    }

    @Test
    void everyEventIsKeyedByPod() {
        Decision<NodeState> d = NodeCore.reconcile(withPods("web-a"), T0);
        for (Outbound o : d.outputs()) assertThat(o.key()).isEqualTo(((PodStatusChanged) o.payload()).pod());
    }
}
