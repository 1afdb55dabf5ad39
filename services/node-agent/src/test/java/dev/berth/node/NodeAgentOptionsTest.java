package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Taint;
import dev.berth.node.core.NodeCore;
import dev.berth.node.core.NodeState;
import dev.berth.node.core.RestartBackoff;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAgentOptionsTest {

    @Test
    void configuredLabelsAndTaintsRideOnTheHeartbeat() {
        NodeAgentOptions o = NodeAgentOptions.local("node-1", Path.of("/tmp/x"), Path.of("/tmp/i"))
                .withLabels(Map.of("zone", "a"))
                .withTaints(List.of(new Taint("dedicated", "gpu", "NoSchedule")))
                .withCapacity(new NodeResources(1000, 1 << 30, 10));
        assertThat(o.labels()).as("kept by later withers").containsEntry("zone", "a");

        // what NodeAgentVerticle.heartbeat() sends
        var hb = NodeCore.heartbeat(NodeState.empty("node-1", RestartBackoff.DEV_DEFAULTS), o.capacity(), List.of("busybox"), 1, Instant.EPOCH)
                .withLabelsAndTaints(o.labels(), o.taints());

        assertThat(hb.labels()).isEqualTo(Map.of("zone", "a"));
        assertThat(hb.taints()).containsExactly(new Taint("dedicated", "gpu", "NoSchedule"));
        assertThat(NodeAgentOptions.local("n", Path.of("/tmp/x"), Path.of("/tmp/i")).labels()).isEmpty();
    }

    @Test
    void declaredExtendedResourcesAreInTheCapacity() {
        NodeAgentOptions o = NodeAgentOptions.local("node-1", Path.of("/tmp/x"), Path.of("/tmp/i"))
                .withCapacity(new NodeResources(1000, 1 << 30, 10))
                .withExtendedResources(NodeAgentOptions.extendedResources(List.of("nvidia.com/gpu=2", "example.com/foo=0")));

        assertThat(o.capacity()).isEqualTo(new NodeResources(1000, 1 << 30, 10, Map.of("nvidia.com/gpu", 2L, "example.com/foo", 0L)));
        var hb = NodeCore.heartbeat(NodeState.empty("node-1", RestartBackoff.DEV_DEFAULTS), o.capacity(), List.of(), 1, Instant.EPOCH);
        assertThat(hb.capacity().extended()).containsEntry("nvidia.com/gpu", 2L);
        assertThat(hb.allocatable().extended()).containsEntry("nvidia.com/gpu", 2L);
    }

    @Test
    void extendedResourceDeclarationsAreChecked() {
        for (String bad : List.of("gpu=1", "nvidia.com/gpu", "nvidia.com/gpu=1.5", "nvidia.com/gpu=-1", "=2", "nvidia.com/gpu=x")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeAgentOptions.extendedResources(List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extended resource");
        }
    }
}
