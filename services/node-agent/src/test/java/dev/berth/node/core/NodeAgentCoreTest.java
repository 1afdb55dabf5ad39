package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.NODE;
import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.at;
import static dev.berth.node.core.Fixtures.placement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.Cause;
import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.labels.NodeLabels;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The node as its loop runs it: start slots and causes in the state, runtime outcomes as inputs, the door's checks. */
class NodeAgentCoreTest {
    static final Envelope COMMAND = Envelope.command(new DeleteDeployment("web"), "cli", T0);
    final NodeAgentCore core = new NodeAgentCore(new NodeAgentCore.Profile(new NodeResources(4000, 1L << 30, 110), Map.of("zone", "a"),
            List.of(), T0));

    static Envelope placedBy(String pod) {
        return Envelope.causedBy(COMMAND, placement(pod, NODE), "scheduler", T0);
    }

    static NodeState withSlots(int slots, String... pods) {
        NodeState s = NodeState.empty(NODE, Fixtures.BACKOFF).withStartSlots(slots);
        for (String p : pods) s = NodeAgentCore.fold(s, placedBy(p));
        return s;
    }

    static List<NodeAction.StartContainer> starts(Decision<NodeState> d) {
        return d.effects().stream().filter(e -> e instanceof NodeAction.StartContainer).map(e -> (NodeAction.StartContainer) e).toList();
    }

    static List<PodStatusChanged> statuses(Decision<NodeState> d) {
        return d.outputs().stream().map(o -> (PodStatusChanged) o.payload()).toList();
    }

    @Test
    void startsBeyondTheFreeSlotsWaitInTheStateAndAFinishedStartLetsTheNextOneGo() {
        Decision<NodeState> d = NodeAgentCore.reconcile(withSlots(2, "a", "b", "c", "d"), T0);
        assertThat(starts(d)).extracting(NodeAction.StartContainer::pod).containsExactly("a", "b");
        assertThat(d.state().pending().queued()).extracting(NodeAction.StartContainer::pod).containsExactly("c", "d");
        assertThat(statuses(d)).extracting(PodStatusChanged::state).containsOnly(ContainerState.Starting).hasSize(4);

        Decision<NodeState> started = NodeAgentCore.react(d.state(), new NodeAgentCore.Started("a", 10), at(1));
        assertThat(starts(started)).extracting(NodeAction.StartContainer::pod).containsExactly("c");
        assertThat(started.state().pending().launching()).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void aFailedStartFreesItsSlotToo() {
        Decision<NodeState> d = NodeAgentCore.reconcile(withSlots(1, "a", "b"), T0);
        Decision<NodeState> failed = NodeAgentCore.react(d.state(), new NodeAgentCore.StartFailed("a", "no such image"), at(1));
        assertThat(statuses(failed)).extracting(PodStatusChanged::state).containsExactly(ContainerState.Failed, ContainerState.Waiting);
        assertThat(starts(failed)).extracting(NodeAction.StartContainer::pod).containsExactly("b");
        assertThat(failed.state().pending().launching()).containsExactly("b");
        assertThat(failed.effects()).contains(new NodeAgentCore.WakeUpAt(at(2)));
    }

    @Test
    void aFailedPullIsErrImagePullThenImagePullBackOffAndAStartReportsTheImageID() {
        Decision<NodeState> d = NodeAgentCore.reconcile(withSlots(1, "a", "b"), T0);
        Decision<NodeState> failed = NodeAgentCore.react(d.state(),
                new NodeAgentCore.StartFailed("a", "ErrImagePull", "manifest unknown"), at(1));
        assertThat(statuses(failed)).extracting(PodStatusChanged::state, PodStatusChanged::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ContainerState.Failed, "ErrImagePull"),
                        org.assertj.core.groups.Tuple.tuple(ContainerState.Waiting, "ImagePullBackOff"));
        assertThat(statuses(failed).get(0).restartCount()).as("the container never existed").isZero();
        assertThat(failed.state().pulls().entries()).isNotEmpty();
        assertThat(failed.state().pending().launching()).containsExactly("b");

        String digest = "busybox@sha256:" + "b".repeat(64);
        Decision<NodeState> running = NodeAgentCore.react(failed.state(), new NodeAgentCore.Started("b", 9, digest), at(2));
        assertThat(statuses(running)).filteredOn(st -> st.pod().equals("b")).extracting(PodStatusChanged::imageID).containsExactly(digest);
    }

    @Test
    void aBeatCarriesTheNodesImagesWithTheirSizes() {
        var images = List.of(new dev.berth.bus.contract.ContainerImage(List.of("busybox:1.36"), 10),
                new dev.berth.bus.contract.ContainerImage(List.of("nginx:1.27"), 70));
        Decision<NodeState> d = core.onInput(NodeState.empty(NODE), new NodeAgentCore.Beat(List.of("busybox:1.36", "nginx:1.27"), 1, images), at(1));
        var hb = ((NodeAgentCore.SendHeartbeat) d.effects().get(0)).heartbeat();
        assertThat(hb.containerImages()).extracting(i -> i.names().get(0)).containsExactly("nginx:1.27", "busybox:1.36");
    }

    @Test
    void aPlacementCausesTheFirstStartUntilItRunsAndAReleaseCausesTheStop() {
        Envelope placed = placedBy("web-1");
        NodeState s = NodeAgentCore.fold(NodeState.empty(NODE), placed);
        Decision<NodeState> starting = NodeAgentCore.reconcile(s, T0);
        Decision<NodeState> running = NodeAgentCore.react(starting.state(), new NodeAgentCore.Started("web-1", 7), at(1));
        Cause byPlacement = Cause.of(placed);
        assertThat(starting.outputs()).extracting(Outbound::cause).containsExactly(byPlacement);
        assertThat(running.outputs()).extracting(Outbound::cause).containsExactly(byPlacement);
        assertThat(byPlacement.correlationId()).isEqualTo(COMMAND.id());

        Decision<NodeState> crashed = NodeAgentCore.react(running.state(), new NodeAgentCore.Exited(new ContainerExit("web-1", 0, 1, false)), at(2));
        assertThat(crashed.outputs()).extracting(Outbound::cause).containsOnlyNulls();

        Envelope released = Envelope.causedBy(COMMAND, new PodReleased("web-1", NODE, "deleted"), "scheduler", at(3));
        Decision<NodeState> stopping = NodeAgentCore.reconcile(NodeAgentCore.fold(crashed.state(), released), at(3));
        Decision<NodeState> stopped = NodeAgentCore.react(stopping.state(), new NodeAgentCore.Stopped("web-1"), at(4));
        assertThat(statuses(stopping)).extracting(PodStatusChanged::state).containsExactly(ContainerState.Terminating);
        assertThat(stopping.outputs()).extracting(Outbound::cause).containsExactly(Cause.of(released));
        assertThat(stopped.outputs()).extracting(Outbound::cause).containsExactly(Cause.of(released));
        assertThat(stopped.state().pending().causes()).as("a gone pod owes nothing").isEmpty();
    }

    @Test
    void adoptedContainersAreSpontaneous() {
        NodeState s = NodeAgentCore.fold(NodeState.empty(NODE), placedBy("web-1"));
        FoundContainer found = new FoundContainer("web-1", 42, T0, 2, 1, 30, null);
        Decision<NodeState> d = NodeAgentCore.react(s, new NodeAgentCore.Adopt(List.of(found)), at(1));
        assertThat(statuses(d)).extracting(PodStatusChanged::state).containsExactly(ContainerState.Running);
        assertThat(d.outputs()).extracting(Outbound::cause).containsOnlyNulls();
        assertThat(starts(d)).isEmpty();
    }

    @Test
    void aHeartbeatCarriesTheWellKnownLabelsUnderTheUsersOwn() {
        NodeAgentCore arm = new NodeAgentCore(new NodeAgentCore.Profile(new NodeResources(4000, 1L << 30, 110),
                Map.of("zone", "a", "kubernetes.io/os", "linux"), List.of(), T0, "arm64"));

        NodeAgentCore.SendHeartbeat hb = (NodeAgentCore.SendHeartbeat) arm.onInput(withSlots(4), new NodeAgentCore.Beat(List.of(), 1), at(1))
                .effects().get(0);

        assertThat(hb.heartbeat().labels()).isEqualTo(Map.of("zone", "a", "kubernetes.io/hostname", NODE, "kubernetes.io/os", "linux",
                "kubernetes.io/arch", "arm64"));
        assertThat(dev.berth.bus.Validation.problems(hb.heartbeat())).isEmpty();
    }

    @Test
    void aHeartbeatOfThisMachineNamesItsArchitectureAsGoDoes() {
        NodeAgentCore.SendHeartbeat hb = (NodeAgentCore.SendHeartbeat) core.onInput(withSlots(4), new NodeAgentCore.Beat(List.of(), 1), at(1))
                .effects().get(0);

        assertThat(hb.heartbeat().labels().get("kubernetes.io/arch")).isEqualTo(NodeLabels.goArch(System.getProperty("os.arch")))
                .isIn("amd64", "arm64");
    }

    @Test
    void aUserLabelOverridingAWellKnownOneIsRefusedAtStart() {
        assertThatThrownBy(() -> new dev.berth.node.NodeAgentOptions(NODE, null, null, new NodeResources(1000, 1L << 30, 110),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5), Fixtures.BACKOFF, Map.of("kubernetes.io/hostname", "node-2"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kubernetes.io/hostname=node-2 would override the well-known kubernetes.io/hostname=node-1");
    }

    @Test
    void aHeartbeatTickDecidesAHeartbeatToSendAndChangesNothing() {
        NodeState s = withSlots(4, "a");
        Decision<NodeState> d = core.onInput(s, new NodeAgentCore.Beat(List.of("busybox"), 7), at(1));
        assertThat(d.state()).isSameAs(s);
        assertThat(d.outputs()).isEmpty();
        NodeAgentCore.SendHeartbeat hb = (NodeAgentCore.SendHeartbeat) d.effects().get(0);
        assertThat(hb.heartbeat().sequence()).isEqualTo(7);
        assertThat(hb.heartbeat().labels()).containsEntry("zone", "a");
        assertThat(hb.heartbeat().allocatable().pods()).isEqualTo(109);
    }

    @Test
    void afterAShutdownNothingStartsAgain() {
        Decision<NodeState> d = NodeAgentCore.reconcile(withSlots(1, "a", "b"), T0);
        Decision<NodeState> running = NodeAgentCore.react(d.state(), new NodeAgentCore.Started("a", 1), at(1));
        Decision<NodeState> shutdown = NodeAgentCore.react(running.state(), new NodeAgentCore.Shutdown(), at(2));
        assertThat(shutdown.effects()).filteredOn(e -> e instanceof NodeAction.StopContainer).hasSize(2);
        assertThat(shutdown.state().pending().queued()).isEmpty();
        assertThat(starts(NodeAgentCore.react(shutdown.state(), new NodeAgentCore.Resync(), at(3)))).isEmpty();
        assertThat(starts(NodeAgentCore.react(shutdown.state(), new NodeAgentCore.Stopped("a"), at(3)))).isEmpty();
    }

    @Test
    void manyPlacementsAndOutcomesNeverExceedTheSlots() {
        String[] pods = IntStream.range(0, 50).mapToObj(i -> "p-" + i).toArray(String[]::new);
        Decision<NodeState> d = NodeAgentCore.reconcile(withSlots(3, pods), T0);
        int launched = starts(d).size();
        NodeState s = d.state();
        for (int i = 0; i < 50; i++) {
            String pod = s.pending().launching().iterator().next();
            Object outcome = i % 3 == 0 ? new NodeAgentCore.StartFailed(pod, "boom") : new NodeAgentCore.Started(pod, i);
            Decision<NodeState> next = NodeAgentCore.react(s, outcome, T0); // no back-off ends meanwhile
            launched += starts(next).size();
            s = next.state();
            assertThat(s.pending().launching().size()).isLessThanOrEqualTo(3);
            if (s.pending().launching().isEmpty()) break;
        }
        assertThat(launched).isEqualTo(50);
        assertThat(s.pending().queued()).isEmpty();
    }

    @Test
    void theDoorRefusesRecordsANodeCannotRunAndSkipsOtherNodesUndecoded() {
        var keys = NodeAgentCore.keysOf(Set.of(NODE));
        assertThat(keys.test("node-2")).isFalse();
        assertThat(keys.test(NODE)).isTrue();
        assertThat(keys.test(null)).as("keyless: read, to be set aside").isTrue();
        PodPlaced forged = placement("web-1", "node-2");
        Envelope env = Envelope.spontaneous(forged, "scheduler", T0);
        RawRecord r = new RawRecord(Topic.PLACEMENTS.topicName(), 0, 0, 0, NODE, Json.encode(env), 100);
        assertThat(NodeAgentCore.placementProblem(r, env)).get().asString().contains("placement for node node-2 under the key of node node-1");
        RawRecord keyless = new RawRecord(Topic.PLACEMENTS.topicName(), 0, 0, 0, null, Json.encode(env), 100);
        assertThat(NodeAgentCore.placementProblem(keyless, env)).get().asString().contains("without a key");
        assertThat(NodeAgentCore.fold(NodeState.empty(NODE), env).desired()).isEmpty();
    }

}
