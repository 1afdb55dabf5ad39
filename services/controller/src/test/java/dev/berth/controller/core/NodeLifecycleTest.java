package dev.berth.controller.core;

import dev.berth.bus.Decision;
import static dev.berth.controller.core.Harness.T0;
import static dev.berth.controller.core.Harness.created;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Outbound;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.ScaleDeployment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Node lifecycle with time as data: grace period 3 s, eviction delay 2 s, heartbeats every second. */
class NodeLifecycleTest {
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration EVICTION = Duration.ofSeconds(2);
    /** A controller that has been watching since long before the test's events. */
    private static final NodeTimeouts WATCHING = timeoutsSince(T0.minusSeconds(3600));

    private final Harness h = new Harness();

    private static NodeTimeouts timeoutsSince(Instant start) { return new NodeTimeouts(GRACE, EVICTION, start); }

    private static Instant at(double seconds) { return T0.plusMillis((long) (seconds * 1000)); }

    /** Nodes that keep heartbeating at every check, so that three silent ones are not a disrupted cluster. */
    private static final List<String> HEALTHY = List.of("other-1", "other-2", "other-3");
    private boolean othersHealthy;

    private List<Event> check(double seconds) {
        if (othersHealthy) HEALTHY.forEach(n -> h.heartbeatAt(at(seconds), n));
        return h.checkNodes(at(seconds), WATCHING);
    }

    /**
     * Three Ready nodes heard at t=0, and deployment web with one pod placed on each (node-1..3, by name);
     * three more nodes stay healthy throughout (see {@link #disruptedClusterLosesNoPod} for all silent).
     */
    private List<String> threeNodesWithOnePodEach() {
        othersHealthy = true;
        for (String n : HEALTHY) h.heartbeatAt(at(0), n);
        for (String n : List.of("node-1", "node-2", "node-3")) h.heartbeatAt(at(0), n);
        check(0.1);
        h.command(new ApplyDeployment(Samples.deployment("web", 3)));
        List<String> pods = created(h.reconcile()).stream().map(PodCreated::pod).sorted().toList();
        for (int i = 0; i < 3; i++) h.placed(pods.get(i), "node-" + (i + 1));
        return pods;
    }

    private static List<NodeStatusChanged> statuses(List<Event> events) {
        return events.stream().filter(NodeStatusChanged.class::isInstance).map(NodeStatusChanged.class::cast).toList();
    }

    private static List<PodLost> lost(List<Event> events) {
        return events.stream().filter(PodLost.class::isInstance).map(PodLost.class::cast).toList();
    }

    // ---- readiness ----

    @Test
    void aNodeHeardOfForTheFirstTimeIsAnnouncedReadyOnBerthNodesKeyedByItsName() {
        h.heartbeatAt(at(0), "node-1");

        Decision<ControllerState> step = NodeLifecycle.check(h.state, at(0.25), WATCHING);

        assertThat(step.outputs()).containsExactly(new Outbound(Topic.NODES, "node-1",
                new NodeStatusChanged("node-1", NodeCondition.Ready, false, "heartbeats received", at(0))));
        assertThat(step.state().nodes().get("node-1").condition()).isEqualTo(NodeCondition.Ready);
        assertThat(NodeLifecycle.decide(step.state(), at(0.5), WATCHING)).as("announced once").isEmpty();
    }

    @Test
    void aNodeThatKeepsHeartbeatingStaysReady() {
        h.heartbeatAt(at(0), "node-1");
        check(0.1);
        for (int second = 1; second <= 20; second++) {
            h.heartbeatAt(at(second), "node-1");
            for (double tick = 0; tick < 1; tick += 0.25) assertThat(check(second + tick)).isEmpty();
        }
    }

    @Test
    void aNodeBecomesNotReadyExactlyWhenTheGracePeriodHasPassedWithoutAHeartbeat() {
        h.heartbeatAt(at(0), "node-1");
        check(0.1);

        assertThat(check(2.999)).isEmpty();
        List<Event> events = check(3.0);

        assertThat(events).containsExactly(new NodeStatusChanged("node-1", NodeCondition.NotReady, false,
                "no heartbeat for 3 s (grace period 3 s)", at(0)));
        assertThat(h.state.nodes().get("node-1").conditionSince()).isEqualTo(at(3));
        assertThat(check(3.25)).as("said once").isEmpty();
    }

    @Test
    void aLateHeartbeatSentBeforeTheNotReadyDecisionDoesNotMakeTheNodeReadyAgain() {
        h.heartbeatAt(at(0), "node-1");
        check(0.1);
        check(3.0);

        // Sent at 2.9 s, read at 3.1 s: the shell applies a heartbeat at its sending time.
        h.readAt(at(2.9), Harness.heartbeatOf("node-1", "busybox"));

        assertThat(check(3.2)).isEmpty();
        assertThat(h.state.nodes().get("node-1").condition()).isEqualTo(NodeCondition.NotReady);
    }

    @Test
    void aHeartbeatAppliedWithAnOlderTimeNeverMovesTheLastHeartbeatBack() {
        h.heartbeatAt(at(5), "node-1");
        ControllerState s = EventAppliers.apply(h.state, Harness.heartbeatOf("node-1", "busybox"), at(4));
        assertThat(s.nodes().get("node-1").lastHeartbeat()).isEqualTo(at(5));
    }

    @Test
    void aCordonedNodeStaysCordonedWhenItsConditionChanges() {
        h.heartbeatAt(at(0), "node-1");
        check(0.1);
        h.command(new dev.berth.bus.contract.CordonNode("node-1"));

        assertThat(statuses(check(3.0))).singleElement().satisfies(s -> {
            assertThat(s.condition()).isEqualTo(NodeCondition.NotReady);
            assertThat(s.cordoned()).isTrue();
        });
    }

    // ---- eviction ----

    @Test
    void podsOfANodeAreLostExactlyWhenTheEvictionDelayHasPassedAndOnlyThose() {
        List<String> pods = threeNodesWithOnePodEach();
        for (double second = 1; second <= 6; second++) {
            h.heartbeatAt(at(second), "node-1");
            h.heartbeatAt(at(second), "node-2");
        }
        assertThat(statuses(check(3.0))).extracting(NodeStatusChanged::node).containsExactly("node-3");

        assertThat(check(4.999)).isEmpty();
        List<Event> events = check(5.0);

        assertThat(events).containsExactly(new PodLost(pods.get(2), "web", "node-3",
                "node node-3 NotReady for longer than the eviction delay (2 s)"));
        assertThat(h.state.pods()).doesNotContainKey(pods.get(2)).containsKeys(pods.get(0), pods.get(1));
        assertThat(check(5.25)).as("lost once").isEmpty();
    }

    @Test
    void podLostIsPublishedOnBerthPodsKeyedByThePod() {
        List<String> pods = threeNodesWithOnePodEach();
        check(3);
        HEALTHY.forEach(n -> h.heartbeatAt(at(5), n));

        Decision<ControllerState> step = NodeLifecycle.check(h.state, at(5), WATCHING);

        assertThat(step.outputs()).filteredOn(o -> o.payload() instanceof PodLost)
                .extracting(Outbound::topic, Outbound::key)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Topic.PODS, pods.get(0)),
                        org.assertj.core.groups.Tuple.tuple(Topic.PODS, pods.get(1)),
                        org.assertj.core.groups.Tuple.tuple(Topic.PODS, pods.get(2)));
    }

    @Test
    void lostPodsAreReplacedByTheReconcilerOnceAndNotAgainOnResync() {
        List<String> pods = threeNodesWithOnePodEach();
        for (double second = 1; second <= 10; second++) {
            h.heartbeatAt(at(second), "node-1");
            h.heartbeatAt(at(second), "node-2");
            check(second);
        }
        assertThat(h.state.pods()).doesNotContainKey(pods.get(2));

        List<PodCreated> replacements = created(h.reconcile());

        assertThat(replacements).singleElement().satisfies(p -> {
            assertThat(p.deployment()).isEqualTo("web");
            assertThat(pods).doesNotContain(p.pod());
        });
        assertThat(h.reconcile()).as("resync").isEmpty();
        assertThat(h.live("web")).hasSize(3);
        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);
        assertThat(rebuilt).isEqualTo(h.state);
        assertThat(Reconciler.decide(rebuilt)).as("a restarted controller replaces nothing again").isEmpty();
    }

    @Test
    void aNodeBackBeforeTheEvictionDelayIsReadyAndKeepsItsPods() {
        List<String> pods = threeNodesWithOnePodEach();
        check(3.0);

        h.heartbeatAt(at(4.0), "node-1");
        h.heartbeatAt(at(4.0), "node-2");
        h.heartbeatAt(at(4.0), "node-3");
        List<Event> back = check(4.1);

        assertThat(statuses(back)).extracting(NodeStatusChanged::node, NodeStatusChanged::condition, NodeStatusChanged::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("node-1", NodeCondition.Ready, "heartbeats resumed"),
                        org.assertj.core.groups.Tuple.tuple("node-2", NodeCondition.Ready, "heartbeats resumed"),
                        org.assertj.core.groups.Tuple.tuple("node-3", NodeCondition.Ready, "heartbeats resumed"));
        assertThat(check(5.0)).isEmpty();
        assertThat(check(6.0)).isEmpty();
        assertThat(h.state.pods()).containsKeys(pods.toArray(String[]::new));
    }

    @Test
    void aNodeBackAfterTheEvictionIsReadyButItsLostPodsStayLost() {
        List<String> pods = threeNodesWithOnePodEach();
        check(3.0);
        assertThat(lost(check(5.0))).hasSize(3);
        h.reconcile();

        h.heartbeatAt(at(8.0), "node-3");
        assertThat(statuses(check(8.1))).singleElement().satisfies(s -> {
            assertThat(s.node()).isEqualTo("node-3");
            assertThat(s.condition()).isEqualTo(NodeCondition.Ready);
        });
        // The returning node still reports the old pod until it reads its release: ignored.
        ControllerState before = h.state;
        h.read(new PodStatusChanged(pods.get(2), "node-3", ContainerState.Running, null, null, null, 0));
        assertThat(h.state).isEqualTo(before);
        assertThat(h.reconcile()).isEmpty();
        assertThat(h.live("web")).hasSize(3).extracting(PodRecord::name).doesNotContainAnyElementsOf(pods);
    }

    @Test
    void aPodPlacedOnANodeAfterItsPodsWereLostIsLostToo() {
        threeNodesWithOnePodEach();
        check(3.0);
        check(5.0);
        h.command(new ScaleDeployment("web", 4));
        List<PodCreated> more = created(h.reconcile());
        String raced = more.get(0).pod();
        h.placed(raced, "node-1"); // the scheduler had not heard of NotReady yet

        assertThat(lost(check(5.5))).extracting(PodLost::pod).containsExactly(raced);
    }

    @Test
    void pendingPodsAreNeverLost() {
        h.heartbeatAt(at(0), "node-1");
        check(0.1);
        h.command(new ApplyDeployment(Samples.deployment("web", 2)));
        h.reconcile();

        check(3.0);
        assertThat(lost(check(10.0))).isEmpty();
        assertThat(h.live("web")).hasSize(2);
    }

    @Test
    void aPodAlreadyBeingDeletedOnALostNodeIsLostAndForgotten() {
        List<String> pods = threeNodesWithOnePodEach();
        for (int i = 0; i < 3; i++) {
            h.read(new PodStatusChanged(pods.get(i), "node-" + (i + 1), ContainerState.Running, null, null, null, 0));
        }
        h.command(new ScaleDeployment("web", 2));
        assertThat(Harness.deletions(h.reconcile())).hasSize(1);
        assertThat(h.state.pods()).hasSize(3);
        check(3.0);

        check(5.0);

        assertThat(h.state.pods()).isEmpty();
        assertThat(Harness.created(h.reconcile())).hasSize(2);
    }

    // ---- restarts ----

    @Test
    void aRestartedControllerGivesEveryNodeAFreshGracePeriod() {
        List<String> pods = threeNodesWithOnePodEach();
        for (double s = 1; s <= 10; s++) {
            for (String n : List.of("node-1", "node-2", "node-3")) h.heartbeatAt(at(s), n);
        }
        // The controller was down from t=10 to t=60; the heartbeat lookback found nothing new.
        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);
        NodeTimeouts restarted = timeoutsSince(at(60));
        Harness after = new Harness();
        after.state = rebuilt;

        // Agents 1 and 2 come back half a second after the controller; agent 3 does not.
        java.util.Map<Double, List<Event>> decided = new java.util.TreeMap<>();
        for (double s = 60; s <= 66; s += 0.25) {
            if (s % 1 == 0.5) {
                after.heartbeatAt(at(s), "node-1");
                after.heartbeatAt(at(s), "node-2");
                for (String n : HEALTHY) after.heartbeatAt(at(s), n);
            }
            List<Event> events = after.checkNodes(at(s), restarted);
            if (!events.isEmpty()) decided.put(s, events);
        }

        assertThat(decided).containsOnlyKeys(63.0, 65.0);
        assertThat(decided.get(63.0)).containsExactly(new NodeStatusChanged("node-3", NodeCondition.NotReady, false,
                "no heartbeat since the controller started 3 s ago (grace period 3 s)", at(10)));
        assertThat(lost(decided.get(65.0))).extracting(PodLost::pod).containsExactly(pods.get(2));
    }

    @Test
    void aNodeAlreadyNotReadyBeforeARestartLosesItsPodsOneFullEvictionDelayAfterTheRestart() {
        List<String> pods = threeNodesWithOnePodEach();
        check(3.0); // the controller died right after saying NotReady, before evicting
        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);
        NodeTimeouts restarted = timeoutsSince(at(30));
        Harness after = new Harness();
        after.state = rebuilt;
        HEALTHY.forEach(n -> after.heartbeatAt(at(31), n));

        assertThat(after.checkNodes(at(31.999), restarted)).isEmpty();
        assertThat(lost(after.checkNodes(at(32), restarted))).extracting(PodLost::pod).containsExactlyElementsOf(pods);
    }

    @Test
    void aNodeKnownOnlyFromItsStatusIsNotReadyAGracePeriodAfterTheRestart() {
        h.heartbeatAt(at(0), "node-1");
        check(0.1);
        // Only berth.nodes is folded: the heartbeats are older than the lookback.
        List<dev.berth.bus.Envelope> statusesOnly = h.log.stream().filter(e -> e.data() instanceof NodeStatusChanged).toList();
        Harness after = new Harness();
        after.state = EventAppliers.fold(ControllerState.empty(), statusesOnly);
        NodeTimeouts restarted = timeoutsSince(at(100));

        assertThat(after.state.nodes().get("node-1").lastHeartbeat()).isEqualTo(at(0));
        assertThat(after.checkNodes(at(102.9), restarted)).isEmpty();
        assertThat(statuses(after.checkNodes(at(103), restarted))).extracting(NodeStatusChanged::condition)
                .containsExactly(NodeCondition.NotReady);
    }

    @Test
    void foldingTheLogAfterNodeEventsReproducesTheLiveState() {
        threeNodesWithOnePodEach();
        h.command(new dev.berth.bus.contract.CordonNode("node-2"));
        check(3.0);
        h.heartbeatAt(at(4), "node-1");
        check(4.1);
        check(5.0);
        h.reconcile();

        assertThat(EventAppliers.fold(ControllerState.empty(), h.log)).isEqualTo(h.state);
    }

    // ---- disruption: Kubernetes stops evictions when the controller, not the nodes, is likely cut off ----

    @Test
    void disruptedClusterLosesNoPod() {
        threeNodesWithOnePodEach();
        othersHealthy = false; // every node falls silent at once: the broker went away, say

        assertThat(statuses(check(3.5))).hasSize(6).allMatch(s -> s.condition() == NodeCondition.NotReady);
        assertThat(lost(check(5.5))).as("no Ready node at all: full disruption").isEmpty();
        assertThat(lost(check(60.0))).isEmpty();

        HEALTHY.forEach(n -> h.heartbeatAt(at(61), n));
        // Half the cluster is back: 3 of 6 NotReady is below 55 %, and evictions resume in the same check.
        assertThat(lost(check(61.0))).hasSize(3);
    }

    @Test
    void moreThanTwoAndAtLeastFiftyFivePercentNotReadyIsAPartialDisruption() {
        threeNodesWithOnePodEach();
        othersHealthy = false;
        h.heartbeatAt(at(2.5), "other-1"); // 1 of 6 stays Ready: 5 NotReady is 83 %
        check(3.0);
        h.heartbeatAt(at(4.5), "other-1");
        assertThat(lost(check(5.0))).isEmpty();
        assertThat(NodeLifecycle.disrupted(h.state, at(5.0), WATCHING)).isTrue();
    }

    @Test
    void oneOrTwoSilentNodesAreNeverADisruptionEvenInASmallCluster() {
        h.heartbeatAt(at(0), "node-1");
        h.heartbeatAt(at(0), "node-2");
        check(0.1);
        h.command(new ApplyDeployment(Samples.deployment("web", 1)));
        String pod = created(h.reconcile()).get(0).pod();
        h.placed(pod, "node-1");
        for (double t = 1; t <= 6; t += 1) h.heartbeatAt(at(t), "node-2");
        check(3.0);

        assertThat(lost(check(5.0))).as("1 of 2 NotReady: not more than two").extracting(PodLost::pod).containsExactly(pod);
    }
}
