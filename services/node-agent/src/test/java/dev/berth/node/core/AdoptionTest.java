package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.at;
import static dev.berth.node.core.Fixtures.last;
import static dev.berth.node.core.Fixtures.states;
import static dev.berth.node.core.Fixtures.statuses;
import static dev.berth.node.core.Fixtures.withPod;
import static dev.berth.node.core.Fixtures.withPods;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdoptionTest {

    static FoundContainer runningContainer(String pod, int restarts, Instant created) {
        return new FoundContainer(pod, 4242, created, restarts, restarts, 30, null);
    }

    static FoundContainer endedContainer(String pod, int restarts, int steps, Integer code, boolean oom) {
        return new FoundContainer(pod, 0, T0, restarts, steps, 30, new ContainerExit(pod, restarts, code, oom));
    }

    @Test
    void aRunningContainerOfAPlacedPodIsReportedWithItsRestartCountAndNotStartedAgain() {
        Decision<NodeState> d = Adoption.adopt(withPods("web-a"), List.of(runningContainer("web-a", 3, T0)), at(10));

        PodStatusChanged st = last(d);
        assertThat(st.state()).isEqualTo(ContainerState.Running);
        assertThat(st.reason()).isEqualTo("Adopted");
        assertThat(st.message()).contains("4242");
        assertThat(st.restartCount()).isEqualTo(3);
        assertThat(d.effects()).isEmpty();
        assertThat(NodeCore.reconcile(d.state(), at(10)).effects()).as("no duplicate").isEmpty();
    }

    @Test
    void aContainerOfAPodReleasedMeanwhileIsStoppedWithItsOwnGracePeriod() {
        Decision<NodeState> d = Adoption.adopt(withPods("web-a"), List.of(runningContainer("web-a", 0, T0),
                runningContainer("gone", 0, T0)), at(10));

        assertThat(statuses(d)).extracting(PodStatusChanged::pod).containsExactly("web-a");
        Decision<NodeState> next = NodeCore.reconcile(d.state(), at(10));
        assertThat(next.effects()).containsExactly(new NodeAction.StopContainer("gone", 30));
        assertThat(states(next)).containsExactly(ContainerState.Terminating);
    }

    @Test
    void anEndedContainerOfAPodReleasedMeanwhileIsRemoved() {
        Decision<NodeState> d = Adoption.adopt(withPods(), List.of(endedContainer("gone", 0, 0, 0, false)), at(10));
        assertThat(d.outputs()).isEmpty();
        assertThat(NodeCore.reconcile(d.state(), at(10)).effects()).containsExactly(new NodeAction.StopContainer("gone", 30));
    }

    @Test
    void aContainerThatEndedWhileNobodyWatchedIsReportedAndRestartedByPolicy() {
        Decision<NodeState> d = Adoption.adopt(withPods("web-a"), List.of(endedContainer("web-a", 5, 3, 1, false)), at(10));

        assertThat(states(d)).containsExactly(ContainerState.Exited, ContainerState.Waiting);
        assertThat(statuses(d).get(0).exitCode()).isEqualTo(1);
        assertThat(last(d).message()).as("back-off continues where it was: 2^3 s").startsWith("back-off 8s");
        assertThat(last(d).restartCount()).isEqualTo(5);
        Decision<NodeState> restart = NodeCore.reconcile(d.state(), at(18));
        assertThat(restart.effects()).containsExactly(new NodeAction.StartContainer("web-a",
                d.state().desired().get("web-a").template(), 6, 4));
    }

    @Test
    void underNeverAnEndedContainerIsOnlyReported() {
        Decision<NodeState> d = Adoption.adopt(withPod("job", "Never"), List.of(endedContainer("job", 0, 0, 3, false)), at(10));
        assertThat(states(d)).containsExactly(ContainerState.Exited);
        assertThat(last(d).exitCode()).isEqualTo(3);
        assertThat(NodeCore.reconcile(d.state(), at(100)).effects()).isEmpty();
    }

    @Test
    void anOomKillWhileNobodyWatchedIsStillOOMKilled() {
        Decision<NodeState> d = Adoption.adopt(withPod("hog", "Never"), List.of(endedContainer("hog", 0, 0, 137, true)), at(10));
        assertThat(last(d).reason()).isEqualTo("OOMKilled");
    }

    @Test
    void aLongRunningAdoptedContainerThatCrashesStartsTheBackOffOver() {
        NodeState s = Adoption.adopt(withPods("web-a"), List.of(runningContainer("web-a", 6, T0)), at(10)).state();

        Decision<NodeState> crash = Restarts.exited(s, new ContainerExit("web-a", 6, 1, false), at(600));

        assertThat(last(crash).message()).startsWith("back-off 1s");
        assertThat(last(crash).restartCount()).isEqualTo(6);
    }

    @Test
    void placedPodsWithoutAContainerAreStartedAfresh() {
        NodeState s = Adoption.adopt(withPods("web-a", "web-b"), List.of(runningContainer("web-a", 0, T0)), at(10)).state();
        Decision<NodeState> d = NodeCore.reconcile(s, at(10));
        assertThat(d.effects()).extracting(a -> ((NodeAction) a).pod()).containsExactly("web-b");
    }

    @Test
    void nothingFoundChangesNothing() {
        NodeState s = withPods("web-a");
        Decision<NodeState> d = Adoption.adopt(s, List.of(), at(10));
        assertThat(d.state()).isEqualTo(s);
        assertThat(d.outputs()).isEmpty();
    }
}
