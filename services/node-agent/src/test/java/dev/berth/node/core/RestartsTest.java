package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.NODE;
import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.at;
import static dev.berth.node.core.Fixtures.exit;
import static dev.berth.node.core.Fixtures.last;
import static dev.berth.node.core.Fixtures.running;
import static dev.berth.node.core.Fixtures.states;
import static dev.berth.node.core.Fixtures.statuses;
import static dev.berth.node.core.Fixtures.withPod;
import static dev.berth.node.core.Fixtures.withPods;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartsTest {

    @Test
    void failedContainerIsReportedThenWaitsInCrashLoopBackOff() {
        NodeState s = running(withPods("web-a"), "web-a", T0);

        Decision<NodeState> d = Restarts.exited(s, exit(s, "web-a", 1), at(5));

        assertThat(states(d)).containsExactly(ContainerState.Exited, ContainerState.Waiting);
        PodStatusChanged exited = statuses(d).get(0);
        assertThat(exited.reason()).isEqualTo("Error");
        assertThat(exited.exitCode()).isEqualTo(1);
        PodStatusChanged waiting = statuses(d).get(1);
        assertThat(waiting.reason()).isEqualTo("CrashLoopBackOff");
        assertThat(waiting.message()).isEqualTo("back-off 1s restarting failed container (exit 1)");
        assertThat(waiting.exitCode()).as("last exit code").isEqualTo(1);
        assertThat(waiting.restartCount()).isZero();
        assertThat(d.effects()).as("nothing to do until the back-off is over").isEmpty();
        assertThat(NodeCore.nextWakeUp(d.state())).contains(at(6));
    }

    @Test
    void restartHappensWhenTheBackOffIsOverNotBefore() {
        NodeState s = running(withPods("web-a"), "web-a", T0);
        s = Restarts.exited(s, exit(s, "web-a", 1), at(5)).state();

        assertThat(NodeCore.reconcile(s, at(6).minusMillis(1)).effects()).isEmpty();
        Decision<NodeState> due = NodeCore.reconcile(s, at(6));

        assertThat(due.effects()).hasSize(1);
        NodeAction.StartContainer start = (NodeAction.StartContainer) due.effects().get(0);
        assertThat(start.restarts()).isEqualTo(1);
        assertThat(start.backoffSteps()).isEqualTo(1);
        PodStatusChanged st = last(due);
        assertThat(st.state()).isEqualTo(ContainerState.Starting);
        assertThat(st.reason()).isEqualTo("Restarting");
        assertThat(st.restartCount()).isEqualTo(1);
        assertThat(NodeCore.nextWakeUp(due.state())).isEmpty();
    }

    /** A container that fails right after every start: delays double up to the cap, the count only grows. */
    @Test
    void crashLoopDelaysDoubleUpToTheCap() {
        NodeState s = withPods("web-a");
        Instant now = T0;
        List<Long> delays = new ArrayList<>();
        List<Integer> restartCounts = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Decision<NodeState> start = NodeCore.reconcile(s, now);
            assertThat(start.effects()).hasSize(1);
            s = NodeCore.started(start.state(), "web-a", 100 + i, now).state();
            now = now.plusMillis(300); // runs briefly, then fails
            Decision<NodeState> crash = Restarts.exited(s, exit(s, "web-a", 1), now);
            restartCounts.add(last(crash).restartCount());
            s = crash.state();
            Instant due = NodeCore.nextWakeUp(s).orElseThrow();
            delays.add(Duration.between(now, due).toSeconds());
            now = due;
        }
        assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(restartCounts).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void backOffStartsOverAfterCleanRunning() {
        NodeState s = crashedTimes(4); // next delay would be 16 s
        Instant restartedAt = NodeCore.nextWakeUp(s).orElseThrow();
        s = NodeCore.started(NodeCore.reconcile(s, restartedAt).state(), "web-a", 9, restartedAt).state();

        Instant justShort = restartedAt.plus(BACKOFF_RESET).minusSeconds(1);
        assertThat(waitingMessage(Restarts.exited(s, exit(s, "web-a", 1), justShort))).startsWith("back-off 16s");
        Instant longEnough = restartedAt.plus(BACKOFF_RESET);
        Decision<NodeState> reset = Restarts.exited(s, exit(s, "web-a", 1), longEnough);
        assertThat(waitingMessage(reset)).startsWith("back-off 1s");
        assertThat(last(reset).restartCount()).as("the count is never reset").isEqualTo(4);
    }

    private static final Duration BACKOFF_RESET = Fixtures.BACKOFF.resetAfter();

    private static NodeState crashedTimes(int n) {
        NodeState s = withPods("web-a");
        Instant now = T0;
        for (int i = 0; i < n; i++) {
            s = NodeCore.started(NodeCore.reconcile(s, now).state(), "web-a", 1, now).state();
            s = Restarts.exited(s, exit(s, "web-a", 1), now).state();
            now = NodeCore.nextWakeUp(s).orElseThrow();
        }
        return s;
    }

    private static String waitingMessage(Decision<NodeState> d) {
        PodStatusChanged st = last(d);
        assertThat(st.state()).isEqualTo(ContainerState.Waiting);
        return st.message();
    }

    @Test
    void alwaysRestartsACompletedContainerToo() {
        NodeState s = running(withPod("job", "Always"), "job", T0);
        Decision<NodeState> d = Restarts.exited(s, exit(s, "job", 0), at(1));
        assertThat(statuses(d).get(0).reason()).isEqualTo("Completed");
        assertThat(waitingMessage(d)).isEqualTo("back-off 1s restarting completed container (exit 0)");
    }

    @Test
    void onFailureLeavesACompletedContainerAlone() {
        NodeState s = running(withPod("job", "OnFailure"), "job", T0);
        Decision<NodeState> d = Restarts.exited(s, exit(s, "job", 0), at(1));

        assertThat(states(d)).containsExactly(ContainerState.Exited);
        assertThat(statuses(d).get(0).reason()).isEqualTo("Completed");
        assertThat(NodeCore.nextWakeUp(d.state())).isEmpty();
        assertThat(NodeCore.reconcile(d.state(), at(3600)).effects()).isEmpty();
    }

    @Test
    void onFailureRestartsAFailedContainer() {
        NodeState s = running(withPod("job", "OnFailure"), "job", T0);
        Decision<NodeState> d = Restarts.exited(s, exit(s, "job", 2), at(1));
        assertThat(states(d)).containsExactly(ContainerState.Exited, ContainerState.Waiting);
    }

    @Test
    void neverLeavesAFailedContainerExited() {
        NodeState s = running(withPod("job", "Never"), "job", T0);
        Decision<NodeState> d = Restarts.exited(s, exit(s, "job", 1), at(1));

        assertThat(states(d)).containsExactly(ContainerState.Exited);
        assertThat(statuses(d).get(0).restartCount()).isZero();
        assertThat(d.state().actual().get("job").state()).isEqualTo(ContainerState.Exited);
        assertThat(NodeCore.nextWakeUp(d.state())).isEmpty();
        assertThat(NodeCore.reconcile(d.state(), at(3600)).effects()).as("kept, not restarted").isEmpty();
    }

    @Test
    void oomKillIsReportedAsOOMKilled() {
        NodeState s = running(withPods("hog"), "hog", T0);
        Decision<NodeState> d = Restarts.exited(s, new ContainerExit("hog", 0, 137, true), at(1));

        PodStatusChanged exited = statuses(d).get(0);
        assertThat(exited.reason()).isEqualTo("OOMKilled");
        assertThat(exited.exitCode()).isEqualTo(137);
        assertThat(exited.message()).contains("memory limit");
        assertThat(waitingMessage(d)).isEqualTo("back-off 1s restarting failed container (OOMKilled, exit 137)");
    }

    @Test
    void killWithoutOomIsAnError() {
        NodeState s = running(withPod("hog", "Never"), "hog", T0);
        Decision<NodeState> d = Restarts.exited(s, new ContainerExit("hog", 0, 137, false), at(1));
        assertThat(statuses(d).get(0).reason()).isEqualTo("Error");
    }

    @Test
    void unknownExitCodeCountsAsAFailure() {
        NodeState s = running(withPod("job", "OnFailure"), "job", T0);
        Decision<NodeState> d = Restarts.exited(s, exit(s, "job", null), at(1));
        assertThat(statuses(d).get(0).reason()).isEqualTo("Unknown");
        assertThat(waitingMessage(d)).contains("exit code unknown");
    }

    @Test
    void aLateReportAboutAnEarlierRunIsIgnored() {
        NodeState s = running(withPods("web-a"), "web-a", T0);
        ContainerExit firstRun = exit(s, "web-a", 1);
        s = Restarts.exited(s, firstRun, at(1)).state();
        s = NodeCore.reconcile(s, at(2)).state();
        s = NodeCore.started(s, "web-a", 2, at(2)).state();

        assertThat(Restarts.exited(s, firstRun, at(3)).outputs()).isEmpty();
        assertThat(Restarts.exited(s, new ContainerExit("nope", 0, 1, false), at(3)).outputs()).isEmpty();
    }

    @Test
    void aReleasedPodThatEndsIsNotRestarted() {
        NodeState s = running(withPods("web-a"), "web-a", T0);
        s = NodeCore.released(s, new PodReleased("web-a", NODE, "deleted"));

        Decision<NodeState> d = Restarts.exited(s, exit(s, "web-a", 1), at(1));

        assertThat(states(d)).containsExactly(ContainerState.Exited);
        assertThat(NodeCore.reconcile(d.state(), at(1)).effects()).containsExactly(new NodeAction.StopContainer("web-a", 10));
    }

    @Test
    void startFailureBacksOffUnderAlways() {
        NodeState s = NodeCore.reconcile(withPods("web-a"), T0).state();
        Decision<NodeState> d = Restarts.startFailed(s, "web-a", "exec: \"nope\": not found", T0);

        assertThat(states(d)).containsExactly(ContainerState.Failed, ContainerState.Waiting);
        PodStatusChanged failed = statuses(d).get(0);
        assertThat(failed.reason()).isEqualTo("StartError");
        assertThat(failed.message()).contains("nope");
        assertThat(waitingMessage(d)).isEqualTo("back-off 1s restarting container that failed to start");
    }

    @Test
    void startFailureStaysFailedUnderNever() {
        NodeState s = NodeCore.reconcile(withPod("job", "Never"), T0).state();
        Decision<NodeState> d = Restarts.startFailed(s, "job", "no such image", T0);
        assertThat(states(d)).containsExactly(ContainerState.Failed);
        assertThat(NodeCore.reconcile(d.state(), at(60)).effects()).isEmpty();
    }

    @Test
    void theEarliestBackOffDecidesTheWakeUp() {
        NodeState s = withPods("web-a", "web-b");
        s = NodeCore.reconcile(s, T0).state();
        s = NodeCore.started(NodeCore.started(s, "web-a", 1, T0).state(), "web-b", 2, T0).state();
        s = Restarts.exited(s, exit(s, "web-a", 1), at(10)).state(); // due at 11
        s = Restarts.exited(s, exit(s, "web-b", 1), at(3)).state();  // due at 4
        assertThat(NodeCore.nextWakeUp(s)).contains(at(4));

        Decision<NodeState> d = NodeCore.reconcile(s, at(4));
        assertThat(d.effects()).extracting(a -> ((NodeAction) a).pod()).containsExactly("web-b");
        assertThat(NodeCore.nextWakeUp(d.state())).contains(at(11));
    }
}
