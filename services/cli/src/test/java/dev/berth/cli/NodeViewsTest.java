package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Nodes in `berth get nodes` (status, cordon, pod counts), lost pods, and the drain's progress, all folded from events. */
class NodeViewsTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    final ClusterView view = new ClusterView();

    void at(int second, Payload p) { view.apply(Envelope.spontaneous(p, "test", T0.plusSeconds(second))); }

    void heartbeat(int second, String node) {
        NodeHeartbeat sample = (NodeHeartbeat) Samples.of(NodeHeartbeat.class);
        at(second, new NodeHeartbeat(node, sample.capacity(), sample.allocatable(), List.of("busybox"), List.of(), 1, T0));
    }

    void pod(int second, String pod, String node) {
        at(second, new PodCreated(pod, "web", 1, Samples.template()));
        at(second, new PodPlaced(pod, node, "web", Samples.template(), 3, Map.of(), List.of()));
        at(second, new PodStatusChanged(pod, node, ContainerState.Running, null, "Started", "", 0));
    }

    String row(String node, Instant now) {
        return GetCommand.nodesTable(view, now).lines().filter(l -> l.startsWith(node + " ")).findFirst().orElseThrow();
    }

    @Test
    void theControllersStatusDecidesReadinessAndACordonShowsAsSchedulingDisabled() {
        heartbeat(0, "node-1");
        heartbeat(0, "node-2");
        at(1, new NodeStatusChanged("node-1", NodeCondition.Ready, true, "cordoned by an operator", T0));
        at(3, new NodeStatusChanged("node-2", NodeCondition.NotReady, false, "no heartbeat for 3 s", T0));

        assertThat(row("node-1", T0.plusSeconds(3))).matches("node-1\\s+Ready,SchedulingDisabled\\s+0\\s+.*");
        assertThat(row("node-2", T0.plusSeconds(3))).as("NotReady though its heartbeat is fresh for the fallback")
                .matches("node-2\\s+NotReady\\s+0\\s+.*");
        assertThat(GetCommand.nodesJson(view, T0.plusSeconds(3))).contains("\"unschedulable\" : true")
                .contains("\"message\" : \"no heartbeat for 3 s\"");
    }

    @Test
    void aNodeWithoutStatusFallsBackToTheFreshnessOfItsHeartbeats() {
        heartbeat(0, "node-1");
        assertThat(row("node-1", T0.plusSeconds(5))).contains("Ready");
        assertThat(row("node-1", T0.plusSeconds(6))).contains("NotReady");
    }

    @Test
    void aNodeKnownOnlyFromItsStatusIsListedWithoutCapacity() {
        at(0, new NodeStatusChanged("node-9", NodeCondition.NotReady, false, "no heartbeat for 3 s", T0));
        assertThat(row("node-9", T0.plusSeconds(60))).matches("node-9\\s+NotReady\\s+0\\s+<unknown>\\s+<unknown>\\s+<unknown>");
    }

    @Test
    void podsCountsThePodsBoundToEachNodeAndLostPodsAreNotListed() {
        at(0, new DeploymentApplied(Samples.deployment("web", 3), 1));
        heartbeat(0, "node-1");
        heartbeat(0, "node-2");
        pod(1, "web-a", "node-1");
        pod(1, "web-b", "node-1");
        pod(1, "web-c", "node-2");
        assertThat(row("node-1", T0.plusSeconds(2))).matches("node-1\\s+Ready\\s+2\\s+.*");

        at(5, new PodLost("web-c", "web", "node-2", "node node-2 NotReady"));

        assertThat(view.pods()).extracting(p -> p.name).containsExactly("web-a", "web-b");
        assertThat(row("node-2", T0.plusSeconds(6))).matches("node-2\\s+\\S+\\s+0\\s+.*");
    }

    @Test
    void aCrashLoopingPodShowsItsReasonAndIsNotReady() {
        at(0, new DeploymentApplied(Samples.deployment("web", 1), 1));
        pod(0, "web-a", "node-1");
        at(1, new PodStatusChanged("web-a", "node-1", ContainerState.Waiting, 1, "CrashLoopBackOff", "back-off 2s", 3));

        ClusterView.PodRow row = view.pods().get(0);
        assertThat(row.status()).isEqualTo("CrashLoopBackOff");
        assertThat(row.phase()).isEqualTo("Running");
        assertThat(row.isReady()).isFalse();
        assertThat(GetCommand.podsTable(view, T0.plusSeconds(2))).contains("0/1").contains("CrashLoopBackOff");
    }

    @Test
    void podsNoNodeWillEverReportAreGoneOnceDeletedOrReleased() {
        at(0, new DeploymentApplied(Samples.deployment("web", 2), 1));
        at(1, new PodCreated("web-pending", "web", 1, Samples.template()));
        at(1, new PodCreated("web-placed", "web", 1, Samples.template()));
        at(2, new PodPlaced("web-placed", "node-1", "web", Samples.template(), 1, Map.of(), List.of()));

        at(3, new PodDeletionRequested("web-pending", "web", "node node-1 drained"));
        at(3, new PodDeletionRequested("web-placed", "web", "node node-1 drained"));
        assertThat(view.pods()).extracting(p -> p.name).containsExactly("web-placed");

        at(4, new dev.berth.bus.contract.PodReleased("web-placed", "node-1", "pod deleted"));
        assertThat(view.pods()).isEmpty();
        assertThat(view.podsOn("node-1")).isEmpty();
    }

    // ---- drain progress ----

    @Test
    void aDrainIsDoneWhenNoPodIsLeftOnTheNodeAndItsDeploymentsRunEveryReplica() {
        at(0, new DeploymentApplied(Samples.deployment("web", 2), 1));
        pod(0, "web-a", "node-1");
        pod(0, "web-b", "node-2");
        at(1, new PodDeletionRequested("web-a", "web", "node node-1 drained"));

        DrainCommand.Progress draining = DrainCommand.Progress.of(view, "node-1", Set.of("web"));
        assertThat(draining.done()).isFalse();
        assertThat(draining).hasToString("1 pod(s) still on the node: web-a; waiting for web 1/2 running");

        at(2, new PodStatusChanged("web-a", "node-1", ContainerState.Stopped, 0, "Deleted", "", 0));
        pod(2, "web-c", "node-2");

        assertThat(DrainCommand.Progress.of(view, "node-1", Set.of("web")).done()).isTrue();
    }

    @Test
    void aDeploymentDeletedDuringTheDrainIsNotWaitedFor() {
        assertThat(DrainCommand.Progress.of(view, "node-1", Set.of("gone")).done()).isTrue();
    }

    // ---- arguments ----

    @Test
    void nodesAndPodsAreNamedLikeKubectlNamesThem() {
        assertThat(ResourceRef.nodeName("node-1")).isEqualTo("node-1");
        assertThat(ResourceRef.nodeName("node/node-1")).isEqualTo("node-1");
        assertThatIllegalArgumentException().isThrownBy(() -> ResourceRef.nodeName("pod/web-a"));
        assertThat(DescribeCommand.podName("pod/web-a", null)).isEqualTo("web-a");
        assertThat(DescribeCommand.podName("pod", "web-a")).isEqualTo("web-a");
        assertThat(DescribeCommand.podName("po/web-a", null)).isEqualTo("web-a");
        assertThatIllegalArgumentException().isThrownBy(() -> DescribeCommand.podName("node/node-1", null));
        assertThatIllegalArgumentException().isThrownBy(() -> DescribeCommand.podName("pod", null));
    }

    @Test
    void drainTimeoutsReadLikeKubectls() {
        assertThat(DrainCommand.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DrainCommand.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DrainCommand.duration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThatIllegalArgumentException().isThrownBy(() -> DrainCommand.duration("soon"));
    }
}
