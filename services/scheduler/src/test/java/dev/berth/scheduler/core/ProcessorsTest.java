package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodUnschedulable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessorsTest {
    private final Processors core = processors();
    private final SchedulerState state = core.state();

    private void nodes(String... names) {
        for (String n : names) core.onHeartbeat(standardNode(n), T0, T0);
    }

    /** Keeps every node alive at {@code now}, as agents do every second; returns what the heartbeats caused. */
    private List<Outbound> heartbeatsAt(Instant now, String... names) {
        return Arrays.stream(names).flatMap(n -> core.onHeartbeat(standardNode(n), now, now).stream()).toList();
    }

    @Test
    void aPlacementIsPublishedOnPlacementsKeyedByTheNode() {
        nodes("node-a");
        List<Outbound> out = core.onPodCreated(pod("web-1", 250, 256), T0);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(Topic.PLACEMENTS);
        assertThat(out.get(0).key()).isEqualTo("node-a");
        PodPlaced placed = (PodPlaced) out.get(0).payload();
        assertThat(placed.pod()).isEqualTo("web-1");
        assertThat(placed.deployment()).isEqualTo("web");
        assertThat(placed.template()).isEqualTo(pod("web-1", 250, 256).template());
        assertThat(state.binding("web-1").node()).isEqualTo("node-a");
        assertThat(state.pendingCount()).isZero();
    }

    @Test
    void aDuplicatePodCreatedIsPlacedOnce() {
        nodes("node-a", "node-b");
        assertThat(core.onPodCreated(pod("web-1", 250, 256), T0)).hasSize(1);
        assertThat(core.onPodCreated(pod("web-1", 250, 256), at(1))).isEmpty();
        assertThat(state.allocation("node-a").pods() + state.allocation("node-b").pods()).isEqualTo(1);
    }

    @Test
    void aDuplicateOfAPendingPodIsNotReportedAgain() {
        assertThat(core.onPodCreated(pod("web-1", 250, 256), T0)).hasSize(1);
        assertThat(core.onPodCreated(pod("web-1", 250, 256), at(1))).isEmpty();
        assertThat(state.pendingCount()).isEqualTo(1);
    }

    @Test
    void deletingABoundPodReleasesItOnItsNodeAndAPendingPodTakesTheRoom() {
        core.onHeartbeat(heartbeat("node-a", 1000, 1024, 10), T0, T0);
        core.onPodCreated(pod("big-1", 800, 256), T0);
        List<Outbound> refused = core.onPodCreated(pod("big-2", 800, 256), T0);
        assertThat(payloads(refused, PodUnschedulable.class)).extracting(PodUnschedulable::message)
                .containsExactly("0/1 nodes available: 1 Insufficient cpu.");

        List<Outbound> out = core.onPodDeletionRequested(deletion("big-1"), at(1));

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(new Outbound(Topic.PLACEMENTS, "node-a",
                new PodReleased("big-1", "node-a", "pod deleted: scaled down")));
        assertThat(out.get(1).key()).isEqualTo("node-a");
        assertThat(((PodPlaced) out.get(1).payload()).pod()).isEqualTo("big-2");
        assertThat(state.binding("big-1")).isNull();
        assertThat(state.allocation("node-a").used().cpuMillis()).isEqualTo(800);
    }

    @Test
    void deletingAPendingPodDropsItQuietly() {
        core.onPodCreated(pod("web-1", 250, 256), T0);
        assertThat(core.onPodDeletionRequested(deletion("web-1"), at(1))).isEmpty();
        assertThat(state.pendingCount()).isZero();
        assertThat(core.onHeartbeat(standardNode("node-a"), at(2), at(2))).as("nothing left to place").isEmpty();
    }

    @Test
    void deletingAnUnknownPodDoesNothing() {
        nodes("node-a");
        assertThat(core.onPodDeletionRequested(deletion("ghost"), T0)).isEmpty();
        core.onPodCreated(pod("web-1", 250, 256), T0);
        core.onPodDeletionRequested(deletion("web-1"), T0);
        assertThat(core.onPodDeletionRequested(deletion("web-1"), T0)).as("a second deletion").isEmpty();
    }

    @Test
    void theSameUnschedulableMessageIsNotRepeated() {
        core.onHeartbeat(heartbeat("node-a", 1000, 1024, 10), T0, T0);
        assertThat(core.onPodCreated(pod("huge", 4000, 256), T0)).hasSize(1);
        for (int s = 1; s <= 4; s++) {
            assertThat(heartbeatsAt(at(s), "node-a")).isEmpty();
            assertThat(core.resync(at(s))).isEmpty();
        }
        // A new node that cannot take it either changes the message: reported once.
        List<Outbound> out = core.onHeartbeat(heartbeat("node-b", 2000, 1024, 10), at(5), at(5));
        assertThat(payloads(out, PodUnschedulable.class)).extracting(PodUnschedulable::message)
                .containsExactly("0/2 nodes available: 2 Insufficient cpu.");
        assertThat(out.get(0).topic()).isEqualTo(Topic.SCHEDULING);
        assertThat(out.get(0).key()).isEqualTo("huge");
        assertThat(core.resync(at(5.5))).isEmpty();
    }

    @Test
    void aHeartbeatThatChangesNothingRelevantTriggersNoRetry() {
        nodes("node-a");
        core.onPodCreated(pod("huge", 4000, 256), T0);
        NodeHeartbeat same = standardNode("node-a");
        NodeHeartbeat otherPodsAndAllocatable = new NodeHeartbeat("node-a", same.capacity(),
                new NodeResources(10, 10, 1), List.of(), List.of("x", "y"), 99, STARTED);
        assertThat(core.onHeartbeat(same, at(1), at(1))).isEmpty();
        assertThat(core.onHeartbeat(otherPodsAndAllocatable, at(2), at(2))).isEmpty();
        assertThat(core.resync(at(2))).isEmpty();
    }

    @Test
    void aNewNodePlacesThePendingPods() {
        core.onPodCreated(pod("web-1", 250, 256), T0);
        core.onPodCreated(pod("web-2", 250, 256), T0);
        List<Outbound> out = core.onHeartbeat(standardNode("node-a"), at(1), at(1));
        assertThat(payloads(out, PodPlaced.class)).extracting(PodPlaced::pod).containsExactly("web-1", "web-2");
    }

    @Test
    void aNodeThatGrowsPlacesThePendingPods() {
        core.onHeartbeat(heartbeat("node-a", 1000, 1024, 10), T0, T0);
        core.onPodCreated(pod("big", 2000, 256), T0);
        List<Outbound> out = core.onHeartbeat(heartbeat("node-a", 4000, 1024, 10), at(1), at(1));
        assertThat(payloads(out, PodPlaced.class)).extracting(PodPlaced::pod).containsExactly("big");
    }

    @Test
    void aNodeReadyAgainPlacesThePendingPods() {
        nodes("node-a");
        List<Outbound> stale = core.onPodCreated(pod("web-1", 250, 256), at(10));
        assertThat(payloads(stale, PodUnschedulable.class)).extracting(PodUnschedulable::message)
                .containsExactly("0/1 nodes available: 1 node not ready.");

        List<Outbound> out = core.onHeartbeat(standardNode("node-a"), at(11), at(11));

        assertThat(payloads(out, PodPlaced.class)).extracting(PodPlaced::node).containsExactly("node-a");
    }

    @Test
    void theTimerNoticesANodeGoingStaleAndUpdatesTheMessage() {
        nodes("node-a");
        core.onPodCreated(pod("huge", 4000, 256), T0);
        assertThat(core.resync(at(3))).isEmpty();
        List<Outbound> out = core.resync(at(6));
        assertThat(payloads(out, PodUnschedulable.class)).extracting(PodUnschedulable::message)
                .containsExactly("0/1 nodes available: 1 node not ready.");
        assertThat(core.resync(at(7))).isEmpty();
    }

    @Test
    void retryingWithNothingPendingIsFree() {
        nodes("node-a", "node-b");
        assertThat(core.resync(T0)).isEmpty();
        assertThat(core.resync(at(100))).isEmpty();
    }

    @Test
    void aPodThatExitedUnderNeverFreesItsCapacity() {
        core.onHeartbeat(heartbeat("node-a", 1000, 1024, 10), T0, T0);
        core.onPodCreated(pod("job", 800, 256, "Never"), T0);
        core.onPodCreated(pod("next", 800, 256), T0);

        List<Outbound> out = core.onPodStatus(status("job", "node-a", ContainerState.Exited, 0), at(1));

        assertThat(payloads(out, PodPlaced.class)).extracting(PodPlaced::pod).containsExactly("next");
        assertThat(state.binding("job").holdsCapacity()).isFalse();
        assertThat(state.allocation("node-a").used().cpuMillis()).isEqualTo(800);
        assertThat(state.allocation("node-a").pods()).isEqualTo(1);
    }

    @Test
    void aPodThatWillBeRestartedKeepsItsCapacity() {
        nodes("node-a");
        core.onPodCreated(pod("always", 100, 64, "Always"), T0);
        core.onPodCreated(pod("on-failure", 100, 64, "OnFailure"), T0);
        assertThat(core.onPodStatus(status("always", "node-a", ContainerState.Exited, 0), at(1))).isEmpty();
        assertThat(core.onPodStatus(status("on-failure", "node-a", ContainerState.Exited, 1), at(1))).isEmpty();
        assertThat(core.onPodStatus(status("on-failure", "node-a", ContainerState.Running, null), at(1))).isEmpty();
        assertThat(state.allocation("node-a").pods()).isEqualTo(2);
    }

    @Test
    void whichEndingsFreeCapacity() {
        assertThat(Appliers.endedForGood(status("p", "n", ContainerState.Exited, 0), "OnFailure")).isTrue();
        assertThat(Appliers.endedForGood(status("p", "n", ContainerState.Exited, 3), "OnFailure")).isFalse();
        assertThat(Appliers.endedForGood(status("p", "n", ContainerState.Failed, null), "Never")).isTrue();
        assertThat(Appliers.endedForGood(status("p", "n", ContainerState.Failed, null), "Always")).isFalse();
        assertThat(Appliers.endedForGood(status("p", "n", ContainerState.Stopped, null), "Always")).isTrue();
        assertThat(Appliers.endedForGood(status("p", "n", ContainerState.Terminating, null), "Never")).isFalse();
    }

    @Test
    void aStoppedPodFreesItsCapacityOnce() {
        nodes("node-a");
        core.onPodCreated(pod("web-1", 250, 256), T0);
        core.onPodCreated(pod("web-2", 250, 256), T0);
        core.onPodStatus(status("web-1", "node-a", ContainerState.Stopped, null), at(1));
        core.onPodStatus(status("web-1", "node-a", ContainerState.Stopped, null), at(2));
        assertThat(state.allocation("node-a").pods()).isEqualTo(1);

        List<Outbound> out = core.onPodDeletionRequested(deletion("web-1"), at(3));

        assertThat(payloads(out, PodReleased.class)).hasSize(1);
        assertThat(state.allocation("node-a").pods()).as("released without freeing twice").isEqualTo(1);
        assertThat(state.allocation("node-a").used().cpuMillis()).isEqualTo(250);
    }

    @Test
    void aStatusFromAnotherNodeIsIgnored() {
        nodes("node-a");
        core.onPodCreated(pod("job", 250, 256, "Never"), T0);
        assertThat(core.onPodStatus(status("job", "node-z", ContainerState.Exited, 0), at(1))).isEmpty();
        assertThat(state.binding("job").holdsCapacity()).isTrue();
    }

    @Test
    void duringWarmUpPodsWaitAndAreThenPlacedTogether() {
        core.holdUntil(at(2));
        nodes("node-a", "node-b");
        assertThat(core.onPodCreated(pod("web-1", 250, 256), at(1))).isEmpty();
        assertThat(core.onPodCreated(pod("web-2", 250, 256), at(1))).isEmpty();
        assertThat(core.resync(at(1.5))).isEmpty();

        List<Outbound> out = core.resync(at(2));

        assertThat(payloads(out, PodPlaced.class)).extracting(PodPlaced::node).containsExactly("node-a", "node-b");
    }

    @Test
    void aHeartbeatFromAClockAheadCountsAsNow() {
        core.onHeartbeat(standardNode("node-a"), at(60), T0);
        assertThat(state.node("node-a").lastHeartbeat()).isEqualTo(T0);
    }

    @Test
    void anOldHeartbeatDoesNotMoveTheNodeBackInTime() {
        core.onHeartbeat(standardNode("node-a"), at(5), at(5));
        core.onHeartbeat(standardNode("node-a"), at(3), at(6));
        assertThat(state.node("node-a").lastHeartbeat()).isEqualTo(at(5));
    }

    @Test
    void malformedInputIsRefusedBeforeAnythingIsApplied() {
        NodeHeartbeat noCapacity = new NodeHeartbeat("node-a", null, null, List.of(), List.of(), 1, STARTED);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> core.onHeartbeat(noCapacity, T0, T0)).withMessageContaining("without capacity");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> core.onPodCreated(new PodCreated(null, "web", 1, null), T0));
        assertThat(state.snapshot()).isEqualTo(new SchedulerState().snapshot());
    }
}
