package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodPlaced.NodeScore;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.scheduler.core.SchedulerState.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two policies end to end through the processors: where pods go, why, and the same every time. */
class SchedulingPoliciesTest {

    private static Processors cluster(SchedulingPolicy policy, List<NodeHeartbeat> nodes) {
        Processors core = Processors.standard(new SchedulerState(), policy, STALENESS);
        for (NodeHeartbeat hb : nodes) core.state().putNode(Node.of(hb, T0));
        return core;
    }

    private static List<NodeHeartbeat> standardNodes(String... names) {
        List<NodeHeartbeat> out = new ArrayList<>();
        for (String n : names) out.add(standardNode(n));
        return out;
    }

    private static NodeHeartbeat inZone(String name, String zone) {
        return standardNode(name).withLabelsAndTaints(Map.of("topology.kubernetes.io/zone", zone), List.of());
    }

    private static PodPlaced place(Processors core, PodCreated pod) {
        List<PodPlaced> placed = payloads(core.onPodCreated(pod, T0), PodPlaced.class);
        assertThat(placed).as("placement of " + pod.pod()).hasSize(1);
        return placed.get(0);
    }

    private static List<String> placeAll(Processors core, int pods, String deployment) {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            PodCreated p = pod(deployment + "-" + i, 250, 256);
            nodes.add(place(core, new PodCreated(p.pod(), deployment, 1, p.template())).node());
        }
        return nodes;
    }

    @Test
    void binpackFillsOneNodeBeforeTheNext() {
        Processors core = cluster(SchedulingPolicy.BINPACK, standardNodes("node-a", "node-b", "node-c"));
        assertThat(placeAll(core, 6, "web")).containsExactly("node-a", "node-a", "node-a", "node-a", "node-b", "node-b");
    }

    @Test
    void binpackPacksPodsOfEveryShapeOntoTheFullerNode() {
        Processors core = cluster(SchedulingPolicy.BINPACK, standardNodes("node-a", "node-b"));
        assertThat(place(core, pod("cpu-only", 400, 0)).node()).isEqualTo("node-a");
        assertThat(place(core, pod("memory-only", 0, 400)).node()).isEqualTo("node-a");
        assertThat(place(core, pod("cpu-only-2", 400, 0)).node()).isEqualTo("node-a");
    }

    @Test
    void spreadSpreadsTheSamePods() {
        Processors core = cluster(SchedulingPolicy.SPREAD, standardNodes("node-a", "node-b", "node-c"));
        assertThat(placeAll(core, 6, "web")).containsExactly("node-a", "node-b", "node-c", "node-a", "node-b", "node-c");
    }

    @Test
    void spreadKeepsADeploymentsReplicasApartEvenOnAFullerNode() {
        Processors core = cluster(SchedulingPolicy.SPREAD, standardNodes("node-a", "node-b"));
        place(core, new PodCreated("big", "batch", 1, template(500, 512, "Always"))); // node-a, now half full
        List<String> web = placeAll(core, 2, "web");
        assertThat(web).containsExactly("node-b", "node-a");
    }

    @Test
    void spreadSpreadsReplicasOverZonesFirst() {
        Processors core = cluster(SchedulingPolicy.SPREAD,
                List.of(inZone("a-1", "a"), inZone("a-2", "a"), inZone("a-3", "a"), inZone("b-1", "b")));
        // by node alone a-2 would follow a-1; the zone sends the second replica to b
        assertThat(placeAll(core, 4, "web")).containsExactly("a-1", "b-1", "a-2", "a-3");
    }

    @Test
    void sameInputSameDecisionWhateverOrderNodesArrived() {
        List<NodeHeartbeat> nodes = List.of(inZone("node-c", "b"), inZone("node-a", "a"), inZone("node-b", "a"), inZone("node-d", "b"));
        List<NodeHeartbeat> reversed = new ArrayList<>(nodes);
        java.util.Collections.reverse(reversed);
        for (SchedulingPolicy policy : SchedulingPolicy.values()) {
            Processors one = cluster(policy, nodes), two = cluster(policy, reversed);
            for (int i = 0; i < 8; i++) {
                PodCreated p = pod("web-" + i, 100 + 50 * (i % 3), 64 + 128 * (i % 2));
                assertThat(one.onPodCreated(p, T0)).as(policy + " pod " + i).isEqualTo(two.onPodCreated(p, T0));
            }
        }
    }

    @Test
    void equalScoresGoToTheNodeWhoseNameSortsFirst() {
        for (SchedulingPolicy policy : SchedulingPolicy.values()) {
            Processors core = cluster(policy, standardNodes("node-b", "node-c", "node-a"));
            PodPlaced placed = place(core, pod("p", 100, 100));
            assertThat(placed.node()).as(policy.name()).isEqualTo("node-a");
            assertThat(placed.topCandidates()).extracting(NodeScore::node).containsExactly("node-a", "node-b", "node-c");
        }
    }

    @Test
    void thePlacementExplainsEveryFilterAndEveryScorePluginOfThePolicy() {
        List<NodeHeartbeat> nodes = new ArrayList<>(standardNodes("node-a", "node-b"));
        nodes.add(standardNode("node-gpu").withLabelsAndTaints(Map.of(), List.of(PlacementFiltersTest.GPU)));
        nodes.add(heartbeat("node-small", 100, 64, 10));

        PodPlaced spread = place(cluster(SchedulingPolicy.SPREAD, nodes), pod("p", 250, 256));
        assertThat(spread.nodesConsidered()).isEqualTo(4);
        assertThat(spread.filtered()).isEqualTo(Map.of("had untolerated taint {dedicated=gpu}", 1, "Insufficient cpu", 1));
        assertThat(spread.topCandidates()).containsExactly(
                new NodeScore("node-a", 375.0, Map.of("LeastAllocated", 75.0, "BalancedAllocation", 100.0, "SelectorSpread", 100.0, "ImageLocality", 0.0)),
                new NodeScore("node-b", 375.0, Map.of("LeastAllocated", 75.0, "BalancedAllocation", 100.0, "SelectorSpread", 100.0, "ImageLocality", 0.0)));

        PodPlaced binpack = place(cluster(SchedulingPolicy.BINPACK, nodes), pod("p", 500, 0));
        // cpu 0.5, memory 0: MostAllocated 25, BalancedAllocation 75; total 2 x 25 + 75
        assertThat(binpack.topCandidates().get(0))
                .isEqualTo(new NodeScore("node-a", 125.0, Map.of("MostAllocated", 25.0, "BalancedAllocation", 75.0, "ImageLocality", 0.0)));
    }

    @Test
    void aPodNoNodeMatchesStaysPendingWithTheReasonAndIsNotReportedTwice() {
        Processors core = cluster(SchedulingPolicy.SPREAD, standardNodes("node-a", "node-b"));
        PodCreated p = pod("p", 100, 64);
        PodCreated wantsSsd = new PodCreated("p", "web", 1, p.template().withPlacement(Map.of("disk", "ssd"), List.of()));

        List<PodUnschedulable> first = payloads(core.onPodCreated(wantsSsd, T0), PodUnschedulable.class);
        assertThat(first).extracting(PodUnschedulable::message).containsExactly("0/2 nodes available: 2 didn't match node selector.");
        assertThat(core.state().pending("p")).isNotNull();
        assertThat(core.resync(at(1))).isEmpty();
    }
}
