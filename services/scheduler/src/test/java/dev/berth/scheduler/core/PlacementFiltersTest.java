package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.Taint;
import dev.berth.bus.contract.Toleration;
import dev.berth.bus.labels.NodeLabels;
import dev.berth.scheduler.core.SchedulerState.Node;
import dev.berth.scheduler.core.plugins.NodeSelector;
import dev.berth.scheduler.core.plugins.TaintToleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NodeSelector and TaintToleration, alone and as the scheduler counts them in its messages. */
class PlacementFiltersTest {
    static final Taint GPU = new Taint("dedicated", "gpu", "NoSchedule");
    static final Taint MAINTENANCE = new Taint("maintenance", null, "NoSchedule");

    private final NodeSelector selector = new NodeSelector();
    private final TaintToleration toleration = new TaintToleration();

    static NodeView node(Map<String, String> labels, List<Taint> taints) {
        NodeView v = view("n1", 1000, 1024, 10, 0, 0, 0, T0);
        return new NodeView(v.name(), v.capacity(), v.allocated(), v.podCount(), v.lastHeartbeat(), v.startedAt(), null,
                false, labels, taints);
    }

    static PodRequest pod(Map<String, String> nodeSelector, List<Toleration> tolerations) {
        return new PodRequest("p", "web", template(100, 64, "Always").withPlacement(nodeSelector, tolerations));
    }

    @Test
    void aPodWithoutSelectorFitsAnyNodeAndGivesTheFilterNothingToDo() {
        PodRequest any = pod(Map.of(), List.of());
        assertThat(selector.forPod(any)).isNull();
        assertThat(selector.filter(any, node(Map.of(), List.of()), T0)).isNull();
    }

    @Test
    void nodeSelectorNeedsEveryLabelWithItsValue() {
        PodRequest ssdInA = pod(Map.of("zone", "a", "disk", "ssd"), List.of());

        assertThat(selector.filter(ssdInA, node(Map.of("zone", "a", "disk", "ssd", "extra", "x"), List.of()), T0)).isNull();
        assertThat(selector.filter(ssdInA, node(Map.of("zone", "a"), List.of()), T0)).isEqualTo("didn't match node selector");
        assertThat(selector.filter(ssdInA, node(Map.of("zone", "b", "disk", "ssd"), List.of()), T0))
                .isEqualTo("didn't match node selector");
        assertThat(selector.forPod(ssdInA).filter(ssdInA, node(Map.of(), List.of()), T0)).isEqualTo("didn't match node selector");
    }

    @Test
    void anUntoleratedTaintIsNamedLikeKubernetesDoes() {
        PodRequest plain = pod(Map.of(), List.of());
        assertThat(toleration.filter(plain, node(Map.of(), List.of(GPU)), T0)).isEqualTo("had untolerated taint {dedicated=gpu}");
        assertThat(toleration.filter(plain, node(Map.of(), List.of(MAINTENANCE)), T0)).isEqualTo("had untolerated taint {maintenance}");
        assertThat(toleration.filter(plain, node(Map.of(), List.of()), T0)).isNull();
    }

    @Test
    void matchingTolerationsLetThePodOn() {
        NodeView gpu = node(Map.of(), List.of(GPU));
        assertThat(toleration.filter(pod(Map.of(), List.of(new Toleration("dedicated", "Equal", "gpu", "NoSchedule"))), gpu, T0)).isNull();
        assertThat(toleration.filter(pod(Map.of(), List.of(new Toleration("dedicated", "Exists", null, null))), gpu, T0)).isNull();
        assertThat(toleration.filter(pod(Map.of(), List.of(new Toleration(null, "Exists", null, null))), gpu, T0)).isNull();
        assertThat(toleration.filter(pod(Map.of(), List.of(new Toleration("dedicated", "Equal", "tpu", null))), gpu, T0))
                .isEqualTo("had untolerated taint {dedicated=gpu}");
    }

    @Test
    void theFirstUntoleratedTaintInTheNodesOrderIsTheReason() {
        PodRequest toleratesGpu = pod(Map.of(), List.of(new Toleration("dedicated", "Equal", "gpu", null)));
        Taint second = new Taint("team", "ml", "NoSchedule");
        assertThat(toleration.filter(toleratesGpu, node(Map.of(), List.of(GPU, MAINTENANCE, second)), T0))
                .isEqualTo("had untolerated taint {maintenance}");
        assertThat(toleration.filter(pod(Map.of(), List.of()), node(Map.of(), List.of(second, GPU)), T0))
                .isEqualTo("had untolerated taint {team=ml}");
    }

    @Test
    void onlyNoScheduleTaintsKeepPodsAway() {
        Taint prefer = new Taint("dedicated", "gpu", "PreferNoSchedule");
        assertThat(toleration.filter(pod(Map.of(), List.of()), node(Map.of(), List.of(prefer)), T0)).isNull();
    }

    // ---- through the scheduler: counted once per node, by the first failing filter

    private final SchedulerState state = new SchedulerState();
    private final Scheduler scheduler = new Scheduler(Profile.of(SchedulingPolicy.SPREAD, STALENESS));

    private void node(String name, long memoryMi, Map<String, String> labels, List<Taint> taints) {
        NodeHeartbeat hb = heartbeat(name, 1000, memoryMi, 10).withLabelsAndTaints(labels, taints);
        state.putNode(Node.of(hb, T0));
    }

    private void cordon(String name) {
        Appliers.apply(state, new NodeStatusChanged(name, NodeCondition.Ready, true, "cordoned", T0));
    }

    private Decision schedule(PodCreated pod) { return scheduler.schedule(state, PodRequest.of(pod), T0); }

    private static PodCreated ssdPod(long memoryMi, List<Toleration> tolerations) {
        PodCreated p = Fixtures.pod("p", 100, memoryMi);
        return new PodCreated(p.pod(), p.deployment(), 1, p.template().withPlacement(Map.of("disk", "ssd"), tolerations));
    }

    @Test
    void messageCountsEveryNodeOnceUnderItsFirstReasonMostFrequentFirst() {
        node("node-1", 1024, Map.of("disk", "hdd"), List.of());
        node("node-2", 1024, Map.of(), List.of());
        node("node-3", 1024, Map.of("disk", "ssd"), List.of(GPU));
        node("node-4", 128, Map.of("disk", "ssd"), List.of());
        node("node-5", 1024, Map.of("disk", "hdd"), List.of(GPU));
        cordon("node-5");

        Decision d = schedule(ssdPod(256, List.of()));

        assertThat(d).isEqualTo(new Decision.Unschedulable(
                "0/5 nodes available: 2 didn't match node selector, 1 Insufficient memory,"
                        + " 1 had untolerated taint {dedicated=gpu}, 1 node cordoned.",
                5, Map.of("didn't match node selector", 2, "had untolerated taint {dedicated=gpu}", 1,
                        "Insufficient memory", 1, "node cordoned", 1)));
    }

    @Test
    void aToleratingPodWithTheRightSelectorLandsOnTheTaintedNode() {
        node("node-1", 1024, Map.of("disk", "hdd"), List.of());
        node("node-3", 1024, Map.of("disk", "ssd"), List.of(GPU));

        Decision.Placed placed = (Decision.Placed) schedule(ssdPod(256, List.of(new Toleration("dedicated", "Exists", null, null))));

        assertThat(placed.node()).isEqualTo("node-3");
        assertThat(placed.filtered()).isEqualTo(Map.of("didn't match node selector", 1));
    }

    /** The well-known labels every node agent sends: a nodeSelector on kubernetes.io/hostname pins a pod to one node. */
    @Test
    void aNodeSelectorOnTheHostnamePinsThePod() {
        for (String n : List.of("node-1", "node-2", "node-3")) node(n, 1024, NodeLabels.merged(n, Map.of(), "amd64"), List.of());
        PodCreated p = Fixtures.pod("p", 100, 64);
        PodCreated pinned = new PodCreated("p", "web", 1, p.template().withPlacement(Map.of(NodeLabels.HOSTNAME, "node-2"), List.of()));

        Decision.Placed placed = (Decision.Placed) schedule(pinned);

        assertThat(placed.node()).isEqualTo("node-2");
        assertThat(placed.filtered()).isEqualTo(Map.of("didn't match node selector", 2));
        PodCreated elsewhere = new PodCreated("q", "web", 1, p.template().withPlacement(Map.of(NodeLabels.HOSTNAME, "node-9",
                NodeLabels.ARCH, "amd64"), List.of()));
        assertThat(schedule(elsewhere)).isInstanceOf(Decision.Unschedulable.class);
    }

    @Test
    void kubernetesExampleAtFiveThousandNodes() {
        for (int i = 0; i < 5000; i++) node(String.format("node-%04d", i), 1024, Map.of(), List.of());
        for (int i = 0; i < 10; i++) cordon(String.format("node-%04d", i * 500));

        Decision d = scheduler.schedule(state, PodRequest.of(Fixtures.pod("big", 100, 2048)), T0);

        assertThat(((Decision.Unschedulable) d).message())
                .isEqualTo("0/5000 nodes available: 4990 Insufficient memory, 10 node cordoned.");
    }
}
