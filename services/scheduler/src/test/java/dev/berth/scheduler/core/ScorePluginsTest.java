package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.scheduler.core.SchedulerState.Node;
import dev.berth.scheduler.core.plugins.BalancedAllocation;
import dev.berth.scheduler.core.plugins.MostAllocated;
import dev.berth.scheduler.core.plugins.SelectorSpread;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorePluginsTest {

    @Test
    void mostAllocatedScoresTheMeanUsedFractionAfterPlacing() {
        MostAllocated plugin = new MostAllocated();
        assertThat(plugin.score(request(250, 256), view("n", 1000, 1024, 10, 0, 0, 0, T0))).isCloseTo(25.0, within(1e-9));
        assertThat(plugin.score(request(250, 256), view("n", 1000, 1024, 10, 500, 512, 2, T0))).isCloseTo(75.0, within(1e-9));
        // cpu full, memory a quarter
        assertThat(plugin.score(request(500, 0), view("n", 1000, 1024, 10, 500, 256, 1, T0))).isCloseTo(62.5, within(1e-9));
    }

    @Test
    void balancedAllocationIsHundredWhenCpuAndMemoryAreUsedAlike() {
        BalancedAllocation plugin = new BalancedAllocation();
        assertThat(plugin.score(request(250, 256), view("n", 1000, 1024, 10, 250, 256, 1, T0))).isCloseTo(100.0, within(1e-9));
        // cpu 0.5, memory 0: deviation 0.25
        assertThat(plugin.score(request(500, 0), view("n", 1000, 1024, 10, 0, 0, 0, T0))).isCloseTo(75.0, within(1e-9));
        // cpu 1.0, memory 0: deviation 0.5
        assertThat(plugin.score(request(1000, 0), view("n", 1000, 1024, 10, 0, 0, 0, T0))).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void balancedAllocationPrefersTheNodeThePodEvensOut() {
        BalancedAllocation plugin = new BalancedAllocation();
        NodeView memoryHeavy = view("m", 1000, 1024, 10, 0, 512, 1, T0);
        NodeView cpuHeavy = view("c", 1000, 1024, 10, 500, 0, 1, T0);
        assertThat(plugin.score(request(500, 0), memoryHeavy)).isGreaterThan(plugin.score(request(500, 0), cpuHeavy));
    }

    // ---- SelectorSpread

    private final SchedulerState state = new SchedulerState();

    private void node(String name, String zone) {
        Map<String, String> labels = zone == null ? Map.of() : Map.of("topology.kubernetes.io/zone", zone);
        state.putNode(Node.of(standardNode(name).withLabelsAndTaints(labels, List.of()), T0));
    }

    private void bind(String pod, String deployment, String node) {
        PodTemplate t = template(10, 10, "Always");
        Appliers.apply(state, new PodPlaced(pod, node, deployment, t, 1, Map.of(), List.of()));
    }

    private double spread(String deployment, String node) {
        PodRequest pod = new PodRequest("new", deployment, template(10, 10, "Always"));
        return new SelectorSpread().forPod(pod, state).score(pod, state.view(state.node(node)));
    }

    @Test
    void selectorSpreadScoresNodesAndZonesByTheDeploymentsReplicas() {
        node("a1", "a");
        node("a2", "a");
        node("b1", "b");
        node("x1", null);
        bind("w1", "web", "a1");
        bind("w2", "web", "a1");
        bind("w3", "web", "a2");

        // max per node 2, max per zone 3 (zone a); zoned nodes: 1/3 node part + 2/3 zone part
        assertThat(spread("web", "a1")).isCloseTo(0.0, within(1e-9));
        assertThat(spread("web", "a2")).isCloseTo(50.0 / 3, within(1e-9));
        assertThat(spread("web", "b1")).isCloseTo(100.0, within(1e-9));
        assertThat(spread("web", "x1")).as("no zone: node part only").isCloseTo(100.0, within(1e-9));
        assertThat(spread("api", "a1")).as("another deployment's replicas do not count").isCloseTo(100.0, within(1e-9));
    }

    @Test
    void selectorSpreadWithoutStateScoresEveryNodeAlike() {
        assertThat(new SelectorSpread().score(request(1, 1), view("n", 1000, 1024, 10, 0, 0, 0, T0))).isEqualTo(100.0);
    }
}
