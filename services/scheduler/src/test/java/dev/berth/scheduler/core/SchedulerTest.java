package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodPlaced.NodeScore;
import dev.berth.bus.contract.Resources;
import dev.berth.scheduler.core.plugins.LeastAllocated;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private final Scheduler scheduler = new Scheduler(Profile.of(SchedulingPolicy.SPREAD, STALENESS));
    private final SchedulerState state = new SchedulerState();

    private void node(NodeHeartbeat hb, Instant heardAt) { Appliers.heartbeat(state, hb, heardAt); }

    private void bind(String pod, String node, long cpu, long memoryMi) {
        PodCreated p = pod(pod, cpu, memoryMi);
        Appliers.apply(state, new PodPlaced(pod, node, "web", p.template(), 1, Map.of(), List.of()));
    }

    private Decision schedule(long cpu, long memoryMi, Instant now) {
        return scheduler.schedule(state, PodRequest.of(pod("new", cpu, memoryMi)), now);
    }

    @Test
    void leastAllocatedSpreadsThreePodsOverThreeEqualNodes() {
        Processors core = processors();
        for (String n : List.of("node-a", "node-b", "node-c")) core.onHeartbeat(standardNode(n), T0, T0);
        List<String> nodes = List.of("p1", "p2", "p3").stream()
                .map(p -> payloads(core.onPodCreated(pod(p, 250, 256), T0), PodPlaced.class).get(0).node())
                .toList();
        assertThat(nodes).containsExactly("node-a", "node-b", "node-c");
    }

    @Test
    void tiesGoToTheSmallerNodeNameWhateverOrderNodesArrived() {
        for (String n : List.of("node-c", "node-a", "node-b")) node(standardNode(n), T0);
        Decision d = schedule(250, 256, T0);
        assertThat(d).isInstanceOf(Decision.Placed.class);
        assertThat(((Decision.Placed) d).node()).isEqualTo("node-a");
        assertThat(((Decision.Placed) d).topCandidates()).extracting(NodeScore::node)
                .containsExactly("node-a", "node-b", "node-c");
    }

    @Test
    void aNodeFilledExactlyTakesNoMoreAndTheNextPodGoesElsewhere() {
        Processors core = processors(state);
        core.onHeartbeat(heartbeat("node-a", 1000, 1024, 10), T0, T0);
        for (int i = 0; i < 4; i++) {
            assertThat(payloads(core.onPodCreated(pod("p" + i, 250, 256), T0), PodPlaced.class))
                    .extracting(PodPlaced::node).containsExactly("node-a");
        }
        assertThat(state.allocation("node-a")).isEqualTo(new SchedulerState.Allocation(new Resources(1000, 1024 * MI), 4));

        Decision full = schedule(250, 256, T0);
        assertThat(full).isEqualTo(new Decision.Unschedulable("0/1 nodes available: 1 Insufficient cpu.", 1,
                Map.of("Insufficient cpu", 1)));

        node(standardNode("node-b"), T0);
        assertThat(((Decision.Placed) schedule(250, 256, T0)).node()).isEqualTo("node-b");
    }

    @Test
    void unschedulableMessageCountsEveryReasonLikeKubernetes() {
        node(heartbeat("node-a", 1000, 256, 10), T0);
        node(heartbeat("node-b", 1000, 256, 10), T0);
        node(heartbeat("node-c", 1000, 1024, 1), T0);
        bind("a1", "node-a", 100, 256);
        bind("b1", "node-b", 100, 256);
        bind("c1", "node-c", 100, 128);

        Decision d = schedule(100, 128, T0);

        assertThat(d).isInstanceOf(Decision.Unschedulable.class);
        Decision.Unschedulable u = (Decision.Unschedulable) d;
        assertThat(u.message()).isEqualTo("0/3 nodes available: 2 Insufficient memory, 1 Too many pods.");
        assertThat(u.nodesConsidered()).isEqualTo(3);
        assertThat(u.filtered()).isEqualTo(Map.of("Insufficient memory", 2, "Too many pods", 1));
    }

    @Test
    void withNoNodesTheMessageSaysSo() {
        assertThat(schedule(100, 64, T0))
                .isEqualTo(new Decision.Unschedulable("0/0 nodes available: no nodes registered.", 0, Map.of()));
    }

    @Test
    void aStaleNodeIsFilteredAsNotReady() {
        node(standardNode("node-a"), T0);
        node(standardNode("node-b"), at(10));
        Decision.Placed placed = (Decision.Placed) schedule(100, 64, at(10));
        assertThat(placed.node()).isEqualTo("node-b");
        assertThat(placed.filtered()).isEqualTo(Map.of("node not ready", 1));

        Decision later = schedule(100, 64, at(20));
        assertThat(later).isEqualTo(new Decision.Unschedulable("0/2 nodes available: 2 node not ready.", 2,
                Map.of("node not ready", 2)));
    }

    @Test
    void explanationNamesTheTopThreeCandidatesWithPerPluginScores() {
        for (String n : List.of("node-a", "node-b", "node-c", "node-d")) node(standardNode(n), T0);
        node(standardNode("node-e"), at(-30));
        bind("a1", "node-a", 500, 512);
        bind("b1", "node-b", 250, 256);
        bind("d1", "node-d", 750, 768);

        Decision.Placed placed = (Decision.Placed) schedule(250, 256, T0);

        assertThat(placed.node()).isEqualTo("node-c");
        assertThat(placed.nodesConsidered()).isEqualTo(5);
        assertThat(placed.filtered()).isEqualTo(Map.of("node not ready", 1));
        // cpu and memory fractions are equal everywhere (balanced: 100); "web" has one pod on a, b and d
        // (spread 0 there, 100 on c); total = LeastAllocated + BalancedAllocation + 2 x SelectorSpread
        assertThat(placed.topCandidates()).containsExactly(
                new NodeScore("node-c", 375.0, Map.of("LeastAllocated", 75.0, "BalancedAllocation", 100.0, "SelectorSpread", 100.0, "ImageLocality", 0.0)),
                new NodeScore("node-b", 150.0, Map.of("LeastAllocated", 50.0, "BalancedAllocation", 100.0, "SelectorSpread", 0.0, "ImageLocality", 0.0)),
                new NodeScore("node-a", 125.0, Map.of("LeastAllocated", 25.0, "BalancedAllocation", 100.0, "SelectorSpread", 0.0, "ImageLocality", 0.0)));
    }

    @Test
    void sameStateSamePodSameDecision() {
        for (String n : List.of("node-a", "node-b", "node-c")) node(standardNode(n), T0);
        bind("b1", "node-b", 300, 100);
        assertThat(schedule(250, 256, T0)).isEqualTo(schedule(250, 256, T0));
    }

    @Test
    void scoresAreSummedOverEveryScorePlugin() {
        ScorePlugin constant = new ScorePlugin() {
            @Override public String name() { return "Constant"; }
            @Override public double score(PodRequest pod, NodeView node) { return node.name().equals("node-b") ? 60 : 0; }
        };
        Profile profile = Profile.of(SchedulingPolicy.SPREAD, STALENESS);
        Scheduler two = new Scheduler(Profile.unweighted(profile.filters(), List.of(new LeastAllocated(), constant)));
        for (String n : List.of("node-a", "node-b")) node(standardNode(n), T0);
        bind("b1", "node-b", 500, 512);

        Decision.Placed placed = (Decision.Placed) two.schedule(state, PodRequest.of(pod("new", 250, 256)), T0);

        assertThat(placed.node()).isEqualTo("node-b");
        assertThat(placed.topCandidates().get(0))
                .isEqualTo(new NodeScore("node-b", 85.0, Map.of("LeastAllocated", 25.0, "Constant", 60.0)));
    }

    @Test
    void messageListsTheMostFrequentReasonFirstThenByName() {
        assertThat(Scheduler.unschedulableMessage(4, Map.of("b", 1, "a", 1, "c", 2)))
                .isEqualTo("0/4 nodes available: 2 c, 1 a, 1 b.");
    }
}
