package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.PodPlaced;
import dev.berth.scheduler.core.plugins.ResourcesFit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Large clusters: a pass stops after enough feasible nodes, and still sees every node when none fits. */
class NodeSamplingTest {
    private static final int NODES = 1_000;

    private static String name(int i) { return String.format("node-%04d", i); }

    private static SchedulerState cluster(int nodes) {
        SchedulerState state = new SchedulerState();
        for (int i = 0; i < nodes; i++) Appliers.heartbeat(state, standardNode(name(i)), T0);
        return state;
    }

    private static Decision.Placed place(Scheduler scheduler, SchedulerState state, String pod) {
        return (Decision.Placed) scheduler.schedule(state, PodRequest.of(pod(pod, 100, 64)), T0);
    }

    @Test
    void feasibleNodesToFindFollowKubernetesFloorAndTheShare() {
        NodeSampling twoPercent = NodeSampling.rotating(2);
        assertThat(twoPercent.feasibleToFind(50)).isEqualTo(50);
        assertThat(twoPercent.feasibleToFind(1_000)).isEqualTo(100);
        assertThat(twoPercent.feasibleToFind(5_000)).isEqualTo(100);
        assertThat(twoPercent.feasibleToFind(50_000)).isEqualTo(1_000);
        assertThat(NodeSampling.ALL.feasibleToFind(50_000)).isEqualTo(50_000);
        assertThatThrownBy(() -> NodeSampling.rotating(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPassExaminesOnlyTheSampleAndSaysHowManyNodesThereWere() {
        SchedulerState state = cluster(NODES);
        Decision.Placed d = place(new Scheduler(Profile.of(SchedulingPolicy.SPREAD, STALENESS)), state, "p1");
        assertThat(d.nodesConsidered()).isEqualTo(100);
        assertThat(d.nodesKnown()).isEqualTo(NODES);
    }

    @Test
    void spreadingPassesRotateSoSuccessivePodsSeeEveryNodeInTurn() {
        SchedulerState state = cluster(NODES);
        Scheduler scheduler = new Scheduler(Profile.of(SchedulingPolicy.SPREAD, STALENESS));
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            Decision.Placed d = place(scheduler, state, "p" + i);
            assertThat(d.node()).isEqualTo(name(i * 100)); // all empty: the window's first node by name
            used.add(d.node());
        }
        assertThat(used).hasSize(10);
    }

    @Test
    void binPackingPassesStartAtTheFirstNodeSoNodesFillOneAfterTheOther() {
        SchedulerState state = cluster(NODES);
        Processors core = new Processors(state, Profile.of(SchedulingPolicy.BINPACK, STALENESS), STALENESS);
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            nodes.addAll(payloads(core.onPodCreated(pod("p" + i, 100, 64), T0), PodPlaced.class).stream().map(PodPlaced::node).toList());
        }
        // 10 slots per standard node: the first node takes ten, then the second.
        assertThat(nodes.subList(0, 10)).containsOnly(name(0));
        assertThat(nodes.subList(10, 20)).containsOnly(name(1));
    }

    @Test
    void fullNodesAreSkippedUntilEnoughFeasibleOnesAreFound() {
        SchedulerState state = cluster(NODES);
        for (int i = 0; i < 300; i++) {
            for (int slot = 0; slot < 10; slot++) {
                Appliers.apply(state, new PodPlaced("f-" + i + "-" + slot, name(i), "web", template(10, 1, "Always"), 1, Map.of(), List.of()));
            }
        }
        Decision.Placed d = place(new Scheduler(Profile.of(SchedulingPolicy.BINPACK, STALENESS)), state, "p");
        assertThat(d.node()).isEqualTo(name(300));
        assertThat(d.nodesConsidered()).isEqualTo(400);
        assertThat(d.filtered()).containsExactly(Map.entry(ResourcesFit.TOO_MANY_PODS, 300));
    }

    @Test
    void aPodThatFitsNowhereIsJudgedAgainstEveryNode() {
        SchedulerState state = cluster(NODES);
        Decision d = new Scheduler(Profile.of(SchedulingPolicy.SPREAD, STALENESS))
                .schedule(state, PodRequest.of(pod("huge", 64_000, 64)), T0);
        assertThat(d).isInstanceOf(Decision.Unschedulable.class);
        assertThat(((Decision.Unschedulable) d).message()).isEqualTo("0/1000 nodes available: 1000 Insufficient cpu.");
    }

    @Test
    void placementsTellWhenTheyExaminedASample() {
        Processors core = new Processors(cluster(NODES), Profile.of(SchedulingPolicy.SPREAD, STALENESS), STALENESS);
        PodPlaced placed = payloads(core.onPodCreated(pod("p", 100, 64), T0), PodPlaced.class).get(0);
        assertThat(placed.nodesConsidered()).isEqualTo(100);
        assertThat(placed.nodesKnown()).isEqualTo(NODES);
        assertThat(placed.sampled()).isTrue();

        Processors small = processors();
        small.onHeartbeat(standardNode("only"), T0, T0);
        PodPlaced all = payloads(small.onPodCreated(pod("q", 100, 64), T0), PodPlaced.class).get(0);
        assertThat(all.nodesKnown()).isNull();
        assertThat(all.sampled()).isFalse();
    }
}
