package dev.berth.node.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Outbound;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeCoreTest {
    static final String NODE = "node-1";

    static PodPlaced placement(String pod, String node) {
        return new PodPlaced(pod, node, "web", Samples.template(), 1, Map.of(), List.of());
    }

    static NodeState withPods(String... pods) {
        NodeState s = NodeState.empty(NODE);
        for (String p : pods) s = NodeCore.placed(s, placement(p, NODE));
        return s;
    }

    static List<ContainerState> states(NodeDecision d) {
        return d.events().stream().map(o -> ((PodStatusChanged) o.payload()).state()).toList();
    }

    @Test
    void placementsForOtherNodesAreIgnored() {
        NodeState s = NodeCore.placed(NodeState.empty(NODE), placement("web-a", "node-2"));
        assertThat(s.desired()).isEmpty();
    }

    @Test
    void reconcileStartsEveryDesiredPodOnceAndReportsStarting() {
        NodeDecision d = NodeCore.reconcile(withPods("web-a", "web-b"));

        assertThat(d.actions()).extracting(NodeAction::pod).containsExactly("web-a", "web-b");
        assertThat(d.actions()).allMatch(a -> a instanceof NodeAction.StartContainer);
        assertThat(states(d)).containsExactly(ContainerState.Starting, ContainerState.Starting);
        assertThat(d.events()).allMatch(o -> o.topic() == Topic.POD_STATUS);

        NodeDecision again = NodeCore.reconcile(d.state());
        assertThat(again.actions()).isEmpty();
        assertThat(again.events()).isEmpty();
    }

    @Test
    void startedContainerIsRunning() {
        NodeState s = NodeCore.reconcile(withPods("web-a")).state();
        NodeDecision d = NodeCore.started(s, "web-a", 4242);

        assertThat(d.state().actual().get("web-a").state()).isEqualTo(ContainerState.Running);
        PodStatusChanged st = (PodStatusChanged) d.events().get(0).payload();
        assertThat(st.state()).isEqualTo(ContainerState.Running);
        assertThat(st.message()).contains("4242");
        assertThat(st.node()).isEqualTo(NODE);
    }

    @Test
    void releasedRunningPodIsStoppedWithItsGracePeriod() {
        NodeState s = NodeCore.started(NodeCore.reconcile(withPods("web-a")).state(), "web-a", 1).state();
        s = NodeCore.released(s, new PodReleased("web-a", NODE, "deleted"));

        NodeDecision d = NodeCore.reconcile(s);

        assertThat(d.actions()).containsExactly(new NodeAction.StopContainer("web-a", Samples.template().terminationGracePeriodSeconds()));
        assertThat(states(d)).containsExactly(ContainerState.Terminating);
        assertThat(NodeCore.reconcile(d.state()).actions()).as("no second stop while terminating").isEmpty();
    }

    @Test
    void podReleasedWhileStartingIsStoppedOnceItRuns() {
        NodeState s = NodeCore.reconcile(withPods("web-a")).state();
        s = NodeCore.released(s, new PodReleased("web-a", NODE, "deleted"));
        assertThat(NodeCore.reconcile(s).actions()).isEmpty();

        s = NodeCore.started(s, "web-a", 7).state();
        assertThat(NodeCore.reconcile(s).actions()).containsExactly(new NodeAction.StopContainer("web-a", 10));
    }

    @Test
    void exitIsReportedWithCodeAndReason() {
        NodeState s = NodeCore.started(NodeCore.reconcile(withPods("web-a")).state(), "web-a", 1).state();

        NodeDecision failed = NodeCore.exited(s, "web-a", 3);
        PodStatusChanged st = (PodStatusChanged) failed.events().get(0).payload();
        assertThat(st.state()).isEqualTo(ContainerState.Exited);
        assertThat(st.exitCode()).isEqualTo(3);
        assertThat(st.reason()).isEqualTo("Error");

        PodStatusChanged ok = (PodStatusChanged) NodeCore.exited(s, "web-a", 0).events().get(0).payload();
        assertThat(ok.reason()).isEqualTo("Completed");
    }

    @Test
    void exitedDesiredPodIsNotStartedAgainByReconcile() {
        NodeState s = NodeCore.started(NodeCore.reconcile(withPods("web-a")).state(), "web-a", 1).state();
        s = NodeCore.exited(s, "web-a", 1).state();

        assertThat(NodeCore.reconcile(s).actions()).isEmpty();
    }

    @Test
    void exitOfAContainerBeingStoppedIsNotAnError() {
        NodeState s = NodeCore.started(NodeCore.reconcile(withPods("web-a")).state(), "web-a", 1).state();
        s = NodeCore.reconcile(NodeCore.released(s, new PodReleased("web-a", NODE, "deleted"))).state();

        assertThat(NodeCore.exited(s, "web-a", 143).events()).isEmpty();
        NodeDecision stopped = NodeCore.stopped(s, "web-a");
        assertThat(states(stopped)).containsExactly(ContainerState.Stopped);
        assertThat(stopped.state().actual()).isEmpty();
    }

    @Test
    void startFailureIsReportedAsFailed() {
        NodeState s = NodeCore.reconcile(withPods("web-a")).state();
        NodeDecision d = NodeCore.startFailed(s, "web-a", "exec: \"nope\": not found");

        PodStatusChanged st = (PodStatusChanged) d.events().get(0).payload();
        assertThat(st.state()).isEqualTo(ContainerState.Failed);
        assertThat(st.reason()).isEqualTo("StartError");
        assertThat(st.message()).contains("nope");
    }

    @Test
    void shutdownStopsEverythingEvenDesiredPods() {
        NodeState s = NodeCore.started(NodeCore.reconcile(withPods("web-a", "web-b")).state(), "web-a", 1).state();
        NodeDecision d = NodeCore.shutdown(s);

        assertThat(d.actions()).hasSize(2).allMatch(a -> a instanceof NodeAction.StopContainer);
        assertThat(states(d)).containsOnly(ContainerState.Terminating);
    }

    @Test
    void heartbeatReportsAllocatableAndRunningPods() {
        NodeState s = NodeCore.reconcile(withPods("web-a", "web-b")).state();
        s = NodeCore.started(s, "web-b", 1).state();
        NodeResources capacity = new NodeResources(2000, 1024 * Samples.MI, 110);

        NodeHeartbeat hb = NodeCore.heartbeat(s, capacity, List.of("busybox"), 5, Instant.EPOCH);

        assertThat(hb.allocatable()).isEqualTo(new NodeResources(1500, (1024 - 128) * Samples.MI, 108));
        assertThat(hb.pods()).containsExactly("web-b");
        assertThat(hb.images()).containsExactly("busybox");
        assertThat(hb.sequence()).isEqualTo(5);
    }

    @Test
    void everyEventIsKeyedByPod() {
        NodeDecision d = NodeCore.reconcile(withPods("web-a"));
        for (Outbound o : d.events()) assertThat(o.key()).isEqualTo(((PodStatusChanged) o.payload()).pod());
    }
}
