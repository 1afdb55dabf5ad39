package dev.berth.node.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node's allocatable is its capacity minus what its pods request (never their limits), extended resources included. */
class AllocatableTest {
    static final long MI = 1024L * 1024;

    static PodPlaced placed(String pod, ResourceList requests, ResourceList limits) {
        PodTemplate t = new PodTemplate("busybox", List.of(), List.of(), Map.of(), new ResourceRequirements(requests, limits), "Always", 10);
        return new PodPlaced(pod, "node-1", "web", t, 1, Map.of(), List.of());
    }

    @Test
    void requestsAreTakenNotLimits() {
        NodeResources capacity = new NodeResources(2000, 1024 * MI, 10);
        var a = NodeCore.allocatable(capacity, List.of(placed("a", ResourceList.of(250, 64 * MI), ResourceList.of(1000, 512 * MI)),
                placed("b", ResourceList.NONE, ResourceList.of(500, 128 * MI)), placed("c", ResourceList.NONE, ResourceList.NONE)));

        assertThat(a).isEqualTo(new NodeResources(1250, (1024 - 192) * MI, 7));
    }

    @Test
    void extendedResourcesAreTakenAndNeverBelowZero() {
        NodeResources capacity = new NodeResources(2000, 1024 * MI, 10, Map.of("nvidia.com/gpu", 2L, "example.com/foo", 1L));
        ResourceList gpu = new ResourceList(null, null, Map.of("nvidia.com/gpu", 1L));
        ResourceList foos = new ResourceList(null, null, Map.of("example.com/foo", 3L));

        var a = NodeCore.allocatable(capacity, List.of(placed("a", gpu, gpu), placed("b", ResourceList.NONE, foos)));

        assertThat(a.extended()).isEqualTo(Map.of("nvidia.com/gpu", 1L, "example.com/foo", 0L));
    }
}
