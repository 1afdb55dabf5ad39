package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.NODE;
import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.at;
import static dev.berth.node.core.Fixtures.placement;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's network steps as its core decides them: waiting for the pod CIDR, the pod IP in its statuses, sandbox failures. */
class PodNetworkCoreTest {
    static final String CIDR = "10.244.3.0/24";

    static Envelope status(String node, String cidr) {
        return Envelope.spontaneous(new NodeStatusChanged(node, NodeCondition.Ready, false, "heartbeats received", T0, cidr), "controller", T0);
    }

    static Envelope placed(String pod) { return Envelope.spontaneous(placement(pod, NODE), "scheduler", T0); }

    static NodeState waitingNode(String... pods) {
        NodeState s = NodeState.empty(NODE, Fixtures.BACKOFF).waitingForPodCidr(true);
        for (String p : pods) s = NodeAgentCore.fold(s, placed(p));
        return s;
    }

    static List<NodeAction.StartContainer> starts(Decision<NodeState> d) {
        return d.effects().stream().filter(NodeAction.StartContainer.class::isInstance).map(NodeAction.StartContainer.class::cast).toList();
    }

    static List<PodStatusChanged> statuses(Decision<NodeState> d) {
        return d.outputs().stream().map(o -> (PodStatusChanged) o.payload()).toList();
    }

    static NodeState withCidr(NodeState s) { return NodeAgentCore.fold(s, status(NODE, CIDR)); }

    @Test
    void aPodDoesNotStartBeforeTheNodeHasItsPodCidrAndSaysWhy() {
        Decision<NodeState> d = NodeAgentCore.reconcile(waitingNode("web-1"), T0);

        assertThat(starts(d)).isEmpty();
        assertThat(statuses(d)).singleElement().satisfies(st -> {
            assertThat(st.state()).isEqualTo(ContainerState.Waiting);
            assertThat(st.reason()).isEqualTo("ContainerCreating");
            assertThat(st.message()).isEqualTo("waiting for the node's pod CIDR");
            assertThat(st.podIP()).isNull();
        });
        Decision<NodeState> again = NodeAgentCore.reconcile(d.state(), at(5));
        assertThat(again.outputs()).as("said once").isEmpty();
        assertThat(starts(again)).isEmpty();
        assertThat(NodeCore.nextWakeUp(again.state())).as("no timer: the CIDR's arrival wakes it").isEmpty();
    }

    @Test
    void theNodesStatusWithItsCidrLetsWaitingPodsStart() {
        NodeAgentCore core = new NodeAgentCore(null);
        NodeState waiting = NodeAgentCore.reconcile(waitingNode("web-1", "web-2"), T0).state();

        Decision<NodeState> heard = core.onRecord(waiting, received(status(NODE, CIDR)));
        assertThat(heard.state().network().podCidr()).isEqualTo(CIDR);
        assertThat(heard.effects()).containsExactly(new NodeAgentCore.UsePodCidr(CIDR));

        Decision<NodeState> d = NodeAgentCore.reconcile(heard.state(), at(1));
        assertThat(starts(d)).extracting(NodeAction.StartContainer::pod, NodeAction.StartContainer::restarts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web-1", 0), org.assertj.core.groups.Tuple.tuple("web-2", 0));
        assertThat(statuses(d)).extracting(PodStatusChanged::state).containsOnly(ContainerState.Starting);
        assertThat(core.onRecord(heard.state(), received(status(NODE, CIDR))).effects()).as("the same CIDR again").isEmpty();
    }

    @Test
    void anotherNodesStatusOrOneWithoutACidrChangesNothing() {
        NodeState s = waitingNode("web-1");
        assertThat(NodeAgentCore.fold(s, status("node-2", CIDR))).isEqualTo(s);
        assertThat(NodeAgentCore.fold(s, status(NODE, null))).isEqualTo(s);
        assertThat(starts(NodeAgentCore.reconcile(NodeAgentCore.fold(s, status("node-2", CIDR)), T0))).isEmpty();
    }

    @Test
    void aNodeThatNeedsNoCidrStartsAtOnce() {
        NodeState s = NodeAgentCore.fold(NodeState.empty(NODE, Fixtures.BACKOFF), placed("web-1"));
        assertThat(starts(NodeAgentCore.reconcile(s, T0))).hasSize(1);
    }

    @Test
    void thePodIpFromTheStartIsInEveryStatusUntilTheContainerIsRemoved() {
        NodeState s = NodeAgentCore.reconcile(withCidr(waitingNode("web-1")), T0).state();

        Decision<NodeState> running = NodeAgentCore.react(s, new NodeAgentCore.Started("web-1", 42, null, "10.244.3.2"), at(1));
        assertThat(statuses(running)).filteredOn(st -> st.state() == ContainerState.Running).singleElement()
                .extracting(PodStatusChanged::podIP).isEqualTo("10.244.3.2");

        Decision<NodeState> exited = NodeAgentCore.react(running.state(), new NodeAgentCore.Exited(new ContainerExit("web-1", 0, 1, false)), at(2));
        assertThat(statuses(exited)).isNotEmpty().allSatisfy(st -> assertThat(st.podIP()).isEqualTo("10.244.3.2"));
        assertThat(NodeCore.statusReport(exited.state())).allSatisfy(o -> assertThat(((PodStatusChanged) o.payload()).podIP()).isEqualTo("10.244.3.2"));

        NodeState released = NodeCore.released(exited.state(), new PodReleased("web-1", NODE, "deleted"));
        Decision<NodeState> stopping = NodeAgentCore.reconcile(released, at(3));
        assertThat(stopping.effects()).contains(new NodeAction.StopContainer("web-1", 10));
        Decision<NodeState> stopped = NodeAgentCore.react(stopping.state(), new NodeAgentCore.Stopped("web-1"), at(4));
        assertThat(stopped.state().network().podIPs()).isEmpty();
    }

    @Test
    void aFailedSandboxIsAReasonAndIsRetriedAfterABackOffWithoutCountingARestart() {
        NodeState s = NodeAgentCore.reconcile(withCidr(waitingNode("web-1")), T0).state();
        String cni = "CNI ADD of plugin bridge failed (code 11: try again later): failed to allocate";

        Decision<NodeState> failed = NodeAgentCore.react(s, new NodeAgentCore.StartFailed("web-1", "FailedCreatePodSandBox", cni), at(1));
        List<PodStatusChanged> said = statuses(failed);
        assertThat(said).extracting(PodStatusChanged::state).containsExactly(ContainerState.Failed, ContainerState.Waiting);
        assertThat(said).extracting(PodStatusChanged::reason).containsOnly("FailedCreatePodSandBox");
        assertThat(said.get(0).message()).isEqualTo("Failed to create pod sandbox: " + cni);
        assertThat(said.get(1).message()).startsWith("back-off 10s before creating the pod sandbox again: Failed to create pod sandbox: ");
        assertThat(said).extracting(PodStatusChanged::restartCount).containsOnly(0);
        assertThat(NodeCore.nextWakeUp(failed.state())).contains(at(11));

        assertThat(starts(NodeAgentCore.react(failed.state(), new NodeAgentCore.WakeUp(), at(10)))).isEmpty();
        Decision<NodeState> retry = NodeAgentCore.react(failed.state(), new NodeAgentCore.WakeUp(), at(11));
        assertThat(starts(retry)).singleElement().extracting(NodeAction.StartContainer::restarts).isEqualTo(0);
        assertThat(statuses(retry)).singleElement().satisfies(st -> {
            assertThat(st.state()).isEqualTo(ContainerState.Starting);
            assertThat(st.reason()).isEqualTo("ContainerCreating");
        });

        Decision<NodeState> again = NodeAgentCore.react(retry.state(), new NodeAgentCore.StartFailed("web-1", "FailedCreatePodSandBox", cni), at(12));
        assertThat(NodeCore.nextWakeUp(again.state())).as("doubled").contains(at(32));

        Decision<NodeState> ok = NodeAgentCore.react(NodeAgentCore.react(again.state(), new NodeAgentCore.WakeUp(), at(32)).state(),
                new NodeAgentCore.Started("web-1", 7, null, "10.244.3.2"), at(33));
        assertThat(ok.state().pulls().entries()).as("a success forgets the back-off").isEmpty();
        assertThat(statuses(ok)).filteredOn(st -> st.state() == ContainerState.Running).singleElement()
                .satisfies(st -> assertThat(st.restartCount()).isZero());
    }

    @Test
    void aFailedSandboxIsRetriedWhateverTheRestartPolicy() {
        NodeState s = NodeAgentCore.fold(NodeState.empty(NODE, Fixtures.BACKOFF),
                Envelope.spontaneous(placement("job-1", NODE, "Never"), "scheduler", T0));
        s = NodeAgentCore.reconcile(s, T0).state();
        Decision<NodeState> failed = NodeAgentCore.react(s, new NodeAgentCore.StartFailed("job-1", "FailedCreatePodSandBox", "no IP addresses available"), at(1));
        assertThat(starts(NodeAgentCore.react(failed.state(), new NodeAgentCore.WakeUp(), at(11)))).hasSize(1);
    }

    @Test
    void aPodReleasedWhileWaitingForTheCidrIsStoppedAndForgotten() {
        NodeState waiting = NodeAgentCore.reconcile(waitingNode("web-1"), T0).state();
        NodeState released = NodeCore.released(waiting, new PodReleased("web-1", NODE, "deleted"));
        Decision<NodeState> d = NodeAgentCore.reconcile(released, at(1));
        assertThat(d.effects()).contains(new NodeAction.StopContainer("web-1", 10));
        Decision<NodeState> gone = NodeAgentCore.react(d.state(), new NodeAgentCore.Stopped("web-1"), at(2));
        assertThat(gone.state().actual()).isEmpty();
        assertThat(starts(NodeAgentCore.reconcile(withCidr(gone.state()), at(3)))).isEmpty();
    }

    @Test
    void anAdoptedContainerReportsThePodIpItsNetworkWasAdoptedWith() {
        NodeState s = withCidr(waitingNode("web-1"));
        FoundContainer found = new FoundContainer("web-1", 9, T0, 0, 0, 10, null, null, "10.244.3.9");
        Decision<NodeState> d = NodeAgentCore.react(s, new NodeAgentCore.Adopt(List.of(found)), at(1));
        assertThat(statuses(d)).singleElement().satisfies(st -> {
            assertThat(st.reason()).isEqualTo("Adopted");
            assertThat(st.podIP()).isEqualTo("10.244.3.9");
        });
        assertThat(starts(d)).isEmpty();
    }

    @Test
    void theNodeStatusSourceReadsOnlyThisNodesKey() {
        var source = NodeAgentCore.nodeStatuses(new dev.berth.bus.LogTail.Start.FromOffsets(Map.of()), NODE);
        assertThat(source.topics()).containsExactly(Topic.NODES);
        assertThat(source.keys().test(NODE)).isTrue();
        assertThat(source.keys().test("node-2")).isFalse();
    }

    private static dev.berth.bus.ServiceLoop.Received received(Envelope env) {
        RawRecord raw = new RawRecord(Topic.NODES.topicName(), 0, 0, 0, NODE, Json.encode(env));
        return new dev.berth.bus.ServiceLoop.Received(raw, env, T0);
    }
}
