package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import dev.berth.bus.contract.Resources;
import dev.berth.node.PodAnnotations;
import dev.berth.node.core.NodeAction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only limits become cgroup caps; requests never do, and a container without limits runs uncapped (as under the kubelet). */
class PodLimitsSpecTest {
    static final long MI = 1024L * 1024;
    static final Path ROOTFS = Path.of("/var/lib/berth/images/busybox/rootfs");

    static JsonNode resources(ResourceRequirements r) {
        PodTemplate t = new PodTemplate("busybox", List.of("sleep", "30"), List.of(), Map.of(), r, "Always", 10);
        ContainerSpec spec = PodAnnotations.spec(new NodeAction.StartContainer("web-1", t, 0, 0));
        return OciBundle.config(spec, ROOTFS, "/berth/n1/web-1", true).at("/linux/resources");
    }

    @Test
    void noLimitsNoCaps() {
        JsonNode res = resources(ResourceRequirements.NONE);

        assertThat(res.has("cpu")).isFalse();
        assertThat(res.has("memory")).isFalse();
        assertThat(res.at("/pids/limit").asLong()).as("the pids cap is the node's, not the pod's").isPositive();
    }

    @Test
    void requestsAloneAreNoCaps() {
        JsonNode res = resources(new ResourceRequirements(ResourceList.of(250, 64 * MI), ResourceList.NONE));

        assertThat(res.has("cpu")).isFalse();
        assertThat(res.has("memory")).isFalse();
    }

    @Test
    void limitsAreCapsWhateverTheRequests() {
        JsonNode res = resources(new ResourceRequirements(ResourceList.of(100, 32 * MI), ResourceList.of(500, 128 * MI)));

        assertThat(res.at("/cpu/quota").asLong()).isEqualTo(50_000);
        assertThat(res.at("/cpu/period").asLong()).isEqualTo(100_000);
        assertThat(res.at("/memory/limit").asLong()).isEqualTo(128 * MI);
    }

    @Test
    void eachLimitOnItsOwn() {
        JsonNode memoryOnly = resources(new ResourceRequirements(ResourceList.NONE, new ResourceList(null, 64 * MI, null)));
        JsonNode cpuOnly = resources(new ResourceRequirements(ResourceList.NONE, new ResourceList(250L, null, null)));

        assertThat(memoryOnly.has("cpu")).isFalse();
        assertThat(memoryOnly.at("/memory/limit").asLong()).isEqualTo(64 * MI);
        assertThat(cpuOnly.has("memory")).isFalse();
        assertThat(cpuOnly.at("/cpu/quota").asLong()).isEqualTo(25_000);
    }

    @Test
    void anOldRecordsResourcesAreCapsAsBefore() {
        JsonNode res = resources(ResourceRequirements.of(new Resources(250, 64 * MI)));

        assertThat(res.at("/cpu/quota").asLong()).isEqualTo(25_000);
        assertThat(res.at("/memory/limit").asLong()).isEqualTo(64 * MI);
    }
}
