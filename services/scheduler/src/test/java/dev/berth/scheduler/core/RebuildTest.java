package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodUnschedulable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Folding the log (inputs plus the scheduler's own outputs) must give the state the live run had. */
class RebuildTest {
    /** Every record a live run saw or wrote, by topic, as the log would hold it. */
    private final Map<Topic, List<Payload>> log = new EnumMap<>(Topic.class);
    private final List<NodeHeartbeat> heartbeats = new ArrayList<>();
    private final Processors live = processors();

    private void record(Topic topic, Payload p) { log.computeIfAbsent(topic, t -> new ArrayList<>()).add(p); }

    private void record(List<Outbound> out) { out.forEach(o -> record(o.topic(), o.payload())); }

    private void node(NodeHeartbeat hb) {
        heartbeats.add(hb);
        record(live.onHeartbeat(hb, T0, T0));
    }

    private void created(PodCreated p) {
        record(Topic.PODS, p);
        record(live.onPodCreated(p, T0));
    }

    private void deleted(String pod) {
        PodDeletionRequested d = deletion(pod);
        record(Topic.PODS, d);
        record(live.onPodDeletionRequested(d, T0));
    }

    private void status(PodStatusChanged s) {
        record(Topic.POD_STATUS, s);
        record(live.onPodStatus(s, T0));
    }

    private void nodeStatus(String node, NodeCondition condition, boolean cordoned) {
        NodeStatusChanged s = new NodeStatusChanged(node, condition, cordoned, "test", T0);
        record(Topic.NODES, s);
        record(live.onNodeStatus(s, T0));
    }

    private void lost(String pod) {
        PodLost l = new PodLost(pod, "web", live.state().binding(pod).node(), "node lost");
        record(Topic.PODS, l);
        record(live.onPodLost(l, T0));
    }

    private List<Payload> topic(Topic t) { return log.getOrDefault(t, List.of()); }

    private SchedulerState rebuilt() {
        SchedulerState state = Rebuild.fold(topic(Topic.PLACEMENTS), topic(Topic.PODS), topic(Topic.POD_STATUS),
                topic(Topic.SCHEDULING), topic(Topic.NODES));
        for (NodeHeartbeat hb : heartbeats) Appliers.heartbeat(state, hb, T0);
        return state;
    }

    private void aBusyHistory() {
        node(heartbeat("node-a", 1000, 1024, 10));
        node(heartbeat("node-b", 1000, 1024, 3));
        created(pod("web-1", 250, 256));
        created(pod("web-2", 250, 256));
        created(pod("job-1", 500, 256, "Never"));
        created(pod("web-3", 250, 256));
        created(pod("huge", 4000, 256));
        created(pod("web-4", 250, 256));
        deleted("web-2");
        status(new PodStatusChanged("job-1", live.state().binding("job-1").node(), ContainerState.Exited, 0, null, null, 0));
        created(pod("web-5", 250, 256));
        deleted("huge");
        created(pod("huge-2", 4000, 256));
        created(pod("web-1", 250, 256)); // a duplicate
    }

    @Test
    void foldingTheLogGivesTheLiveState() {
        aBusyHistory();
        assertThat(topic(Topic.PLACEMENTS)).hasAtLeastOneElementOfType(PodReleased.class);
        assertThat(topic(Topic.SCHEDULING)).hasAtLeastOneElementOfType(PodUnschedulable.class);

        assertThat(rebuilt().snapshot()).isEqualTo(live.state().snapshot());
    }

    @Test
    void foldingTheLogTwiceOverChangesNothing() {
        aBusyHistory();
        List<Payload> twice = new ArrayList<>(topic(Topic.PLACEMENTS));
        twice.addAll(topic(Topic.PLACEMENTS));
        SchedulerState state = Rebuild.fold(twice, topic(Topic.PODS), topic(Topic.POD_STATUS), topic(Topic.SCHEDULING),
                topic(Topic.NODES));
        for (NodeHeartbeat hb : heartbeats) Appliers.heartbeat(state, hb, T0);
        assertThat(state.snapshot()).isEqualTo(live.state().snapshot());
    }

    @Test
    void aRebuiltSchedulerNeitherPlacesTwiceNorRepeatsItsMessages() {
        aBusyHistory();
        Processors restarted = processors(rebuilt());
        assertThat(restarted.resync(at(1))).isEmpty();
        assertThat(restarted.onPodCreated(pod("web-1", 250, 256), at(1))).as("redelivered intent").isEmpty();
    }

    @Test
    void aDeletionWhoseReleaseWasLostIsReleasedAfterTheRebuild() {
        node(standardNode("node-a"));
        created(pod("web-1", 250, 256));
        record(Topic.PODS, deletion("web-1")); // the scheduler died before processing it

        Processors restarted = processors(rebuilt());
        assertThat(restarted.state().binding("web-1").releaseDue()).isTrue();

        List<Outbound> out = restarted.resync(at(1));

        assertThat(out).containsExactly(new Outbound(Topic.PLACEMENTS, "node-a",
                new PodReleased("web-1", "node-a", "pod deleted: scaled down")));
        assertThat(restarted.resync(at(2))).isEmpty();
    }

    @Test
    void aPodCreatedButNeverDecidedIsPendingAfterTheRebuildAndThenPlaced() {
        node(standardNode("node-a"));
        record(Topic.PODS, pod("web-1", 250, 256)); // the scheduler died before processing it

        Processors restarted = processors(rebuilt());
        assertThat(restarted.state().pendingInOrder()).extracting(SchedulerState.PendingPod::pod).containsExactly("web-1");

        assertThat(payloads(restarted.resync(at(1)), PodPlaced.class)).extracting(PodPlaced::node)
                .containsExactly("node-a");
    }

    @Test
    void aReleasedPodIsNotResurrectedByItsCreation() {
        node(standardNode("node-a"));
        created(pod("web-1", 250, 256));
        deleted("web-1");

        SchedulerState state = rebuilt();

        assertThat(state.isKnown("web-1")).isFalse();
        assertThat(state.allocation("node-a")).isEqualTo(SchedulerState.Allocation.NONE);
    }

    @Test
    void nodeStatusesAndLostPodsAreRebuiltToo() {
        node(standardNode("node-a"));
        node(standardNode("node-b"));
        created(pod("web-1", 250, 256));
        created(pod("web-2", 250, 256));
        String down = live.state().binding("web-1").node();
        nodeStatus(down, NodeCondition.NotReady, false);
        lost("web-1");
        created(pod("web-3", 250, 256));
        nodeStatus(down, NodeCondition.Ready, true);
        assertThat(topic(Topic.PLACEMENTS)).contains(new PodReleased("web-1", down, "node lost"));

        assertThat(rebuilt().snapshot()).isEqualTo(live.state().snapshot());
        assertThat(rebuilt().status(down)).isEqualTo(new SchedulerState.NodeStatus(NodeCondition.Ready, true));
    }

    @Test
    void aLossWhoseReleaseWasLostIsReleasedAfterTheRebuild() {
        node(standardNode("node-a"));
        created(pod("web-1", 250, 256));
        record(Topic.PODS, new PodLost("web-1", "web", "node-a", "node node-a NotReady")); // the scheduler died before processing it

        Processors restarted = processors(rebuilt());

        assertThat(restarted.resync(at(1))).containsExactly(new Outbound(Topic.PLACEMENTS, "node-a",
                new PodReleased("web-1", "node-a", "node lost")));
        assertThat(restarted.resync(at(2))).isEmpty();
    }
}
