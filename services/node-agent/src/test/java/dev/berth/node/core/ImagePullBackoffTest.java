package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.NODE;
import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.at;
import static dev.berth.node.core.Fixtures.states;
import static dev.berth.node.core.Fixtures.statuses;
import static dev.berth.node.core.Fixtures.withPod;
import static dev.berth.node.core.Fixtures.withPods;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kubelet's image pull back-off in the node core: ErrImagePull, ImagePullBackOff 10 s doubling to 5 min. */
class ImagePullBackoffTest {

    static final String ANSWER = "127.0.0.1:5000/app:v9: manifest unknown (404 MANIFEST_UNKNOWN: manifest unknown)";

    @Test
    void aFailedPullShowsTheRegistrysAnswerThenBacksOff() {
        NodeState s = NodeCore.reconcile(withPods("web-a"), T0).state();
        Decision<NodeState> d = Restarts.startFailed(s, "web-a", "ErrImagePull", ANSWER, T0);

        assertThat(states(d)).containsExactly(ContainerState.Failed, ContainerState.Waiting);
        PodStatusChanged failed = statuses(d).get(0);
        PodStatusChanged waiting = statuses(d).get(1);
        assertThat(failed.reason()).isEqualTo("ErrImagePull");
        assertThat(failed.message()).isEqualTo(ANSWER);
        assertThat(waiting.reason()).isEqualTo("ImagePullBackOff");
        assertThat(waiting.message()).startsWith("Back-off pulling image \"busybox\"").contains(ANSWER);
        assertThat(waiting.restartCount()).isZero(); // the container never existed
        assertThat(NodeCore.nextWakeUp(d.state())).contains(at(10));
        assertThat(NodeCore.reconcile(d.state(), at(9)).effects()).isEmpty();
    }

    @Test
    void retriesDoubleFromTenSecondsToFiveMinutesWhateverTheRestartPolicy() {
        NodeState s = withPod("job", "Never");
        Instant now = T0;
        List<Long> waits = new ArrayList<>();
        s = NodeCore.reconcile(s, now).state();
        for (int i = 0; i < 8; i++) {
            s = Restarts.startFailed(s, "job", "ErrImagePull", ANSWER, now).state();
            Instant due = NodeCore.nextWakeUp(s).orElseThrow();
            waits.add(due.getEpochSecond() - now.getEpochSecond());
            now = due;
            Decision<NodeState> retry = NodeCore.reconcile(s, now);
            assertThat(retry.effects()).containsExactly(new NodeAction.StartContainer("job", s.desired().get("job").template(), 0, 0));
            assertThat(statuses(retry).get(0).reason()).isEqualTo("Pulling");
            s = retry.state();
        }
        assertThat(waits).containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L);
    }

    @Test
    void aSuccessfulPullResetsTheBackoff() {
        NodeState s = NodeCore.reconcile(withPods("web-a"), T0).state();
        s = Restarts.startFailed(s, "web-a", "ErrImagePull", ANSWER, T0).state();
        s = NodeCore.reconcile(s, at(10)).state();
        s = Restarts.startFailed(s, "web-a", "ErrImagePull", ANSWER, at(10)).state(); // next due at 30
        assertThat(NodeCore.nextWakeUp(s)).contains(at(30));
        s = NodeCore.reconcile(s, at(30)).state();
        s = NodeCore.started(s, "web-a", 7, at(31)).state();
        assertThat(s.pulls().entries()).isEmpty();

        // it crashes: the restart back-off (CrashLoopBackOff) decides, and a later pull failure starts at 10 s again
        Decision<NodeState> crash = Restarts.exited(s, new ContainerExit("web-a", 0, 1, false), at(40));
        assertThat(statuses(crash).get(1).reason()).isEqualTo("CrashLoopBackOff");
        s = NodeCore.reconcile(crash.state(), at(41)).state();
        s = Restarts.startFailed(s, "web-a", "ErrImagePull", ANSWER, at(41)).state();
        assertThat(NodeCore.nextWakeUp(s)).contains(at(51));
    }

    @Test
    void otherStartFailuresKeepTheirReasonAndTheRestartBackoff() {
        NodeState s = NodeCore.reconcile(withPods("web-a"), T0).state();
        Decision<NodeState> d = Restarts.startFailed(s, "web-a", "CreateContainerConfigError", "unknown user \"app\"", T0);
        assertThat(statuses(d)).extracting(PodStatusChanged::reason).containsExactly("CreateContainerConfigError", "CrashLoopBackOff");
        assertThat(d.state().pulls().entries()).isEmpty();
    }

    @Test
    void aReleasedPodForgetsItsPullBackoff() {
        NodeState s = NodeCore.reconcile(withPods("web-a"), T0).state();
        s = Restarts.startFailed(s, "web-a", "ErrImagePull", ANSWER, T0).state();
        s = NodeCore.released(s, new PodReleased("web-a", NODE, "deleted"));
        Decision<NodeState> stop = NodeCore.reconcile(s, at(1));
        assertThat(stop.effects()).containsExactly(new NodeAction.StopContainer("web-a", 10));
        s = NodeCore.stopped(stop.state(), "web-a").state();
        assertThat(s.pulls().entries()).isEmpty();
        assertThat(s.actual()).isEmpty();
    }

    @Test
    void neverPullAndInvalidNamesBackOffTheSameWay() {
        for (String reason : List.of("ErrImageNeverPull", "InvalidImageName")) {
            NodeState s = NodeCore.reconcile(withPods("web-a"), T0).state();
            Decision<NodeState> d = Restarts.startFailed(s, "web-a", reason, "no", T0);
            assertThat(statuses(d)).extracting(PodStatusChanged::reason).containsExactly(reason, "ImagePullBackOff");
        }
    }
}
