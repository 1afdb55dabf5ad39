package dev.berth.controller.core;

import dev.berth.bus.Decision;
import static dev.berth.controller.core.Harness.T0;
import static dev.berth.controller.core.Harness.created;
import static dev.berth.controller.core.Harness.deletions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Outbound;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.CordonNode;
import dev.berth.bus.contract.DrainNode;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.contract.UncordonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cordon, uncordon and drain: validated, answered once, and recorded as node statuses and pod deletions. */
class NodeCommandsTest {
    private static final NodeTimeouts TIMEOUTS = new NodeTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2), T0);

    private final Harness h = new Harness();

    /** node-1 and node-2 heartbeating and Ready. */
    NodeCommandsTest() {
        h.heartbeat("node-1", "busybox");
        h.heartbeat("node-2", "busybox");
        h.checkNodes(h.now.plusMillis(10), TIMEOUTS);
    }

    /** Deployment web with pods placed alternately on node-1 and node-2 (by name), all Running. */
    private List<String> web(int replicas) {
        h.command(new ApplyDeployment(Samples.deployment("web", replicas)));
        List<String> pods = created(h.reconcile()).stream().map(PodCreated::pod).sorted().toList();
        for (int i = 0; i < pods.size(); i++) {
            String node = "node-" + (i % 2 + 1);
            h.placed(pods.get(i), node);
            h.read(new PodStatusChanged(pods.get(i), node, ContainerState.Running, null, "Started", null, 0));
        }
        return pods;
    }

    private static List<NodeStatusChanged> statuses(List<Event> events) {
        return events.stream().filter(NodeStatusChanged.class::isInstance).map(NodeStatusChanged.class::cast).toList();
    }

    // ---- validation ----

    @Test
    void everyNodeCommandNamingAnUnknownNodeIsRejectedWithTheKnownNodes() {
        for (var command : List.of(new CordonNode("node-9"), new UncordonNode("node-9"), new DrainNode("node-9"))) {
            CommandRejected r = h.rejected(command);
            assertThat(r.reason()).isEqualTo("node 'node-9' not found; known nodes: node-1, node-2");
            assertThat(r.target()).isEqualTo("node-9");
        }
        assertThat(h.rejected(new CordonNode("")).reason()).isEqualTo("node must not be empty");
    }

    @Test
    void withoutAnyNodeTheRejectionSaysSo() {
        CommandRejected r = new Harness().rejected(new DrainNode("node-1"));
        assertThat(r.reason()).isEqualTo("node 'node-1' not found; known nodes: none (no node has sent a heartbeat yet)");
    }

    // ---- cordon and uncordon ----

    @Test
    void cordonPublishesTheWholeStatusOnBerthNodesAndAnswersOnCommandResults() {
        Envelope cordon = Envelope.command(new CordonNode("node-1"), "test", h.now);

        Decision<ControllerState> step = CommandProcessors.process(h.state, cordon, h.now);

        assertThat(step.outputs()).extracting(Outbound::topic, Outbound::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Topic.NODES, "node-1"),
                org.assertj.core.groups.Tuple.tuple(Topic.COMMAND_RESULTS, cordon.id()));
        NodeStatusChanged status = (NodeStatusChanged) step.outputs().get(0).payload();
        assertThat(status.condition()).isEqualTo(NodeCondition.Ready);
        assertThat(status.cordoned()).isTrue();
        assertThat(status.reason()).isEqualTo("cordoned by an operator");
        assertThat(status.lastHeartbeat()).isEqualTo(h.state.nodes().get("node-1").lastHeartbeat());
        assertThat(((CommandAccepted) step.outputs().get(1).payload()).message()).isEqualTo("node/node-1 cordoned");
        assertThat(step.state().nodes().get("node-1").cordoned()).isTrue();
    }

    @Test
    void cordoningTwiceOrUncordoningAnUncordonedNodeChangesNothing() {
        h.accepted(new CordonNode("node-1"));
        ControllerState cordoned = h.state;

        List<Event> again = h.command(new CordonNode("node-1"));
        assertThat(again).singleElement().isInstanceOfSatisfying(CommandAccepted.class,
                a -> assertThat(a.message()).isEqualTo("node/node-1 already cordoned"));
        assertThat(h.state.nodes()).isEqualTo(cordoned.nodes());

        assertThat(h.command(new UncordonNode("node-2"))).singleElement().isInstanceOfSatisfying(CommandAccepted.class,
                a -> assertThat(a.message()).isEqualTo("node/node-2 already uncordoned"));
    }

    @Test
    void uncordonMakesTheNodeSchedulableAgainKeepingItsCondition() {
        h.accepted(new CordonNode("node-1"));
        h.checkNodes(h.now.plusSeconds(10), TIMEOUTS); // both NotReady meanwhile

        List<Event> events = h.command(new UncordonNode("node-1"));

        assertThat(statuses(events)).singleElement().satisfies(s -> {
            assertThat(s.cordoned()).isFalse();
            assertThat(s.condition()).isEqualTo(NodeCondition.NotReady);
            assertThat(s.reason()).isEqualTo("uncordoned by an operator");
        });
        assertThat(((CommandAccepted) events.get(events.size() - 1)).message()).isEqualTo("node/node-1 uncordoned");
        assertThat(h.state.nodes().get("node-1").cordoned()).isFalse();
    }

    @Test
    void cordonLeavesPodsRunningAndTheReconcilerQuiet() {
        List<String> pods = web(4);
        h.accepted(new CordonNode("node-1"));

        assertThat(Harness.podEvents(h.reconcile())).isEmpty();
        assertThat(h.live("web")).extracting(PodRecord::name).containsExactlyInAnyOrderElementsOf(pods);
    }

    @Test
    void aCordonSurvivesARestart() {
        h.accepted(new CordonNode("node-2"));
        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);

        assertThat(rebuilt.nodes().get("node-2").cordoned()).isTrue();
        assertThat(rebuilt).isEqualTo(h.state);
    }

    // ---- drain ----

    @Test
    void drainCordonsThenAsksForEveryPodOnTheNodeToGoAndTheReconcilerReplacesThem() {
        List<String> pods = web(4); // 0 and 2 on node-1, 1 and 3 on node-2

        List<Event> events = h.command(new DrainNode("node-2"));

        assertThat(events.get(0)).isInstanceOfSatisfying(NodeStatusChanged.class, s -> {
            assertThat(s.cordoned()).isTrue();
            assertThat(s.reason()).isEqualTo("drained by an operator");
        });
        assertThat(deletions(events)).containsExactly(
                new PodDeletionRequested(pods.get(1), "web", "node node-2 drained"),
                new PodDeletionRequested(pods.get(3), "web", "node node-2 drained"));
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(CommandAccepted.class, a -> assertThat(a.message())
                .isEqualTo("node/node-2 cordoned; evicting 2 pods: " + pods.get(1) + ", " + pods.get(3)));

        List<PodCreated> replacements = created(h.reconcile());
        assertThat(replacements).hasSize(2);
        assertThat(h.reconcile()).as("replaced once").isEmpty();
        assertThat(h.live("web")).extracting(PodRecord::name).hasSize(4).contains(pods.get(0), pods.get(2))
                .doesNotContain(pods.get(1), pods.get(3));
    }

    @Test
    void aPodThatLandsOnADrainingNodeAfterTheDrainIsEvictedToo() {
        h.command(new ApplyDeployment(Samples.deployment("web", 1)));
        String late = created(h.reconcile()).get(0).pod();
        h.command(new DrainNode("node-2"));

        // The scheduler placed it before it heard of the cordon; the controller learns of it after the drain.
        h.placed(late, "node-2");

        List<Event> decided = h.reconcile();
        assertThat(deletions(decided)).containsExactly(new PodDeletionRequested(late, "web", "node node-2 drained"));
        assertThat(created(decided)).as("replaced in the same reconcile").hasSize(1);
        assertThat(h.reconcile()).isEmpty();
        h.command(new UncordonNode("node-2"));
        assertThat(h.state.nodes().get("node-2").draining()).as("uncordon ends the drain").isFalse();
    }

    @Test
    void drainingAnEmptyOrAlreadyCordonedNodeSaysSo() {
        assertThat(h.accepted(new DrainNode("node-1")).message()).isEqualTo("node/node-1 cordoned; no pods to evict");

        List<Event> again = h.command(new DrainNode("node-1"));
        assertThat(statuses(again)).as("already cordoned: no second status").isEmpty();
        assertThat(((CommandAccepted) again.get(again.size() - 1)).message()).isEqualTo("node/node-1 already cordoned; no pods to evict");
    }

    @Test
    void drainDoesNotAskAgainForPodsAlreadyBeingDeleted() {
        List<String> pods = web(4);
        h.command(new ScaleDeployment("web", 3));
        List<PodDeletionRequested> scaledDown = deletions(h.reconcile());
        assertThat(scaledDown).singleElement().extracting(PodDeletionRequested::pod).isEqualTo(pods.get(3));

        List<Event> events = h.command(new DrainNode("node-2"));

        assertThat(deletions(events)).extracting(PodDeletionRequested::pod).containsExactly(pods.get(1));
    }

    @Test
    void aRedeliveredDrainIsAnsweredTheSameAndDeletesNothingTwice() {
        web(2);
        Envelope drain = Envelope.command(new DrainNode("node-1"), "test", h.now);
        List<Event> first = h.command(drain);
        h.reconcile();
        ControllerState after = h.state;

        List<Event> again = h.command(drain);

        assertThat(again).containsExactly(first.get(first.size() - 1));
        assertThat(h.state).isEqualTo(after);
    }

    @Test
    void stateAfterADrainIsRebuiltFromTheLog() {
        web(4);
        h.accepted(new DrainNode("node-1"));
        h.reconcile();

        assertThat(EventAppliers.fold(ControllerState.empty(), h.log)).isEqualTo(h.state);
    }
}
