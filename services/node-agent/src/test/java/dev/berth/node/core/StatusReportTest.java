package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.NODE;
import static dev.berth.node.core.Fixtures.at;
import static dev.berth.node.core.Fixtures.exit;
import static dev.berth.node.core.Fixtures.running;
import static dev.berth.node.core.Fixtures.withPod;
import static dev.berth.node.core.Fixtures.withPods;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The full re-report: each container's last status, exactly as it was sent; nothing for pods that are gone. */
class StatusReportTest {

    private static List<PodStatusChanged> report(NodeState s) {
        List<Outbound> out = NodeCore.statusReport(s);
        assertThat(out).allSatisfy(o -> {
            assertThat(o.topic()).isEqualTo(Topic.POD_STATUS);
            assertThat(o.key()).isEqualTo(((PodStatusChanged) o.payload()).pod());
        });
        return out.stream().map(o -> (PodStatusChanged) o.payload()).toList();
    }

    @Test
    void anEmptyNodeReportsNothing() {
        assertThat(report(NodeState.empty(NODE))).isEmpty();
        assertThat(report(withPods("a", "b"))).as("placed, not yet reconciled").isEmpty();
    }

    @Test
    void eachContainerIsReportedWithItsLastStatusUnchanged() {
        NodeState s = NodeCore.reconcile(withPods("a", "b"), at(0)).state();
        Decision<NodeState> started = NodeCore.started(s, "a", 42, at(1));
        assertThat(report(started.state())).containsExactly(Fixtures.last(started),
                new PodStatusChanged("b", NODE, ContainerState.Starting, null, "Scheduled", "starting container", 0));
    }

    @Test
    void aCrashLoopingContainerIsReportedWaitingWithItsBackOff() {
        NodeState s = running(withPod("a", "Always"), "a", at(0));
        Decision<NodeState> crashed = Restarts.exited(s, exit(s, "a", 1), at(1));
        PodStatusChanged waiting = Fixtures.last(crashed);
        assertThat(waiting.state()).isEqualTo(ContainerState.Waiting);
        assertThat(report(crashed.state())).containsExactly(waiting);
    }

    @Test
    void aStoppedPodIsNoLongerReported() {
        NodeState s = running(withPod("a", "Always"), "a", at(0));
        s = NodeCore.released(s, new PodReleased("a", NODE, "web"));
        Decision<NodeState> stopping = NodeCore.reconcile(s, at(1));
        assertThat(report(stopping.state())).extracting(PodStatusChanged::state).containsExactly(ContainerState.Terminating);
        Decision<NodeState> stopped = NodeCore.stopped(stopping.state(), "a");
        assertThat(report(stopped.state())).isEmpty();
    }

    @Test
    void anAdoptedContainerIsReportedAdopted() {
        NodeState s = withPod("a", "Always");
        Decision<NodeState> adopted = Adoption.adopt(s, List.of(new FoundContainer("a", 7, at(0), 2, 1, 10, null)), at(5));
        assertThat(report(adopted.state())).extracting(PodStatusChanged::reason).containsExactly("Adopted");
    }
}
