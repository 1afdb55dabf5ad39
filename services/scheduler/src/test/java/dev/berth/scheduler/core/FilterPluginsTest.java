package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.NodeCondition;
import dev.berth.scheduler.core.plugins.NodeReady;
import dev.berth.scheduler.core.plugins.NodeUnschedulable;
import dev.berth.scheduler.core.plugins.ResourcesFit;
import org.junit.jupiter.api.Test;

class FilterPluginsTest {
    private final NodeReady nodeReady = new NodeReady(STALENESS);
    private final ResourcesFit fit = new ResourcesFit();

    @Test
    void nodeReadyPassesANodeHeardWithinTheStaleness() {
        NodeView node = view("n1", 1000, 1024, 10, 0, 0, 0, T0);
        assertThat(nodeReady.filter(request(100, 64), node, at(4.9))).isNull();
        assertThat(nodeReady.filter(request(100, 64), node, at(5))).as("exactly at the limit").isNull();
    }

    @Test
    void nodeReadyRejectsAStaleNodeWithItsReason() {
        NodeView node = view("n1", 1000, 1024, 10, 0, 0, 0, T0);
        assertThat(nodeReady.filter(request(100, 64), node, at(5.001))).isEqualTo("node not ready");
    }

    @Test
    void theControllersConditionDecidesOverTheHeartbeatsAge() {
        NodeView fresh = view("n1", 1000, 1024, 10, 0, 0, 0, T0);
        NodeView notReady = withStatus(fresh, NodeCondition.NotReady, false);
        NodeView readyButQuiet = withStatus(fresh, NodeCondition.Ready, false);

        assertThat(nodeReady.filter(request(100, 64), notReady, T0)).isEqualTo("node not ready");
        assertThat(nodeReady.filter(request(100, 64), readyButQuiet, at(60))).isNull();
    }

    @Test
    void nodeUnschedulableRejectsOnlyCordonedNodes() {
        NodeUnschedulable unschedulable = new NodeUnschedulable();
        NodeView node = view("n1", 1000, 1024, 10, 0, 0, 0, T0);

        assertThat(unschedulable.filter(request(100, 64), node, T0)).isNull();
        assertThat(unschedulable.filter(request(100, 64), withStatus(node, NodeCondition.Ready, true), T0)).isEqualTo("node cordoned");
    }

    private static NodeView withStatus(NodeView v, NodeCondition condition, boolean cordoned) {
        return new NodeView(v.name(), v.capacity(), v.allocated(), v.podCount(), v.lastHeartbeat(), v.startedAt(), condition, cordoned);
    }

    @Test
    void resourcesFitPassesAnExactFit() {
        NodeView node = view("n1", 1000, 1024, 10, 750, 768, 9, T0);
        assertThat(fit.filter(request(250, 256), node, T0)).isNull();
    }

    @Test
    void resourcesFitRejectsTooLittleCpu() {
        NodeView node = view("n1", 1000, 1024, 10, 800, 0, 1, T0);
        assertThat(fit.filter(request(250, 64), node, T0)).isEqualTo("Insufficient cpu");
    }

    @Test
    void resourcesFitRejectsTooLittleMemory() {
        NodeView node = view("n1", 1000, 1024, 10, 0, 1000, 1, T0);
        assertThat(fit.filter(request(250, 64), node, T0)).isEqualTo("Insufficient memory");
    }

    @Test
    void resourcesFitRejectsAFullNodeFirst() {
        NodeView node = view("n1", 1000, 1024, 2, 1000, 1024, 2, T0);
        assertThat(fit.filter(request(250, 64), node, T0)).isEqualTo("Too many pods");
    }

    @Test
    void resourcesFitChecksCpuBeforeMemory() {
        NodeView node = view("n1", 1000, 1024, 10, 1000, 1024, 1, T0);
        assertThat(fit.filter(request(1, 1), node, T0)).isEqualTo("Insufficient cpu");
    }

    @Test
    void aPodWithoutLimitsFitsAnyNodeWithASlot() {
        NodeView node = view("n1", 1000, 1024, 10, 1000, 1024, 9, T0);
        PodRequest noLimits = new PodRequest("p", "web", null);
        assertThat(fit.filter(noLimits, node, T0)).isNull();
    }
}
