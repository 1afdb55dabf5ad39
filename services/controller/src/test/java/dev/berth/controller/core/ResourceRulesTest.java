package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes' rules for requests and limits, as the controller words them. */
class ResourceRulesTest {
    static final long MI = 1024L * 1024;

    static java.util.List<String> check(ResourceList requests, ResourceList limits) {
        return DeploymentRules.resources(new ResourceRequirements(requests, limits));
    }

    static ResourceList cpuMemory(Long cpu, Long memory) { return new ResourceList(cpu, memory, null); }

    static ResourceList extended(String name, long count) { return new ResourceList(null, null, Map.of(name, count)); }

    @Test
    void nothingIsMandatory() {
        assertThat(check(ResourceList.NONE, ResourceList.NONE)).isEmpty();
        assertThat(check(cpuMemory(100L, null), ResourceList.NONE)).as("requests without limits").isEmpty();
        assertThat(check(ResourceList.NONE, cpuMemory(null, 64 * MI))).as("a memory limit only").isEmpty();
        assertThat(check(cpuMemory(0L, 0L), ResourceList.NONE)).as("zero requests").isEmpty();
    }

    @Test
    void aRequestMayEqualItsLimitButNotExceedIt() {
        assertThat(check(cpuMemory(500L, 64 * MI), cpuMemory(500L, 64 * MI))).isEmpty();
        assertThat(check(cpuMemory(501L, 64 * MI), cpuMemory(500L, 64 * MI)))
                .containsExactly("resources.requests: Invalid value: \"501m\": must be less than or equal to cpu limit of 500m");
        assertThat(check(cpuMemory(100L, 65 * MI), cpuMemory(500L, 64 * MI)))
                .containsExactly("resources.requests: Invalid value: \"68157440\": must be less than or equal to memory limit of 67108864");
    }

    @Test
    void aRequestIsComparedOnlyWithALimitOfTheSameResource() {
        assertThat(check(cpuMemory(2000L, null), cpuMemory(null, 64 * MI))).isEmpty();
    }

    @Test
    void quantitiesAreNonNegativeAndBounded() {
        assertThat(check(cpuMemory(-1L, -2L), ResourceList.NONE)).containsExactly(
                "resources.requests.cpu: Invalid value: \"-1m\": must be greater than or equal to 0",
                "resources.requests.memory: Invalid value: \"-2\": must be greater than or equal to 0");
        assertThat(check(ResourceList.NONE, cpuMemory(1_000_000_001L, null)))
                .containsExactly("resources.limits.cpu: Invalid value: \"1000000001m\": must be at most 1000000000m");
    }

    @Test
    void aLimitOfZeroIsRefusedBecauseLeavingItOutMeansNoCap() {
        assertThat(check(ResourceList.NONE, cpuMemory(0L, null)))
                .containsExactly("resources.limits.cpu: Invalid value: \"0\": must be greater than 0 (leave the limit out for no cap)");
    }

    @Test
    void aMemoryLimitLeavesRoomForTheRuntime() {
        assertThat(check(ResourceList.NONE, cpuMemory(null, 4 * MI))).isEmpty();
        assertThat(check(ResourceList.NONE, cpuMemory(null, MI)))
                .containsExactly("resources.limits.memory: Invalid value: \"1048576\": must be at least 4Mi (4194304) for the container runtime");
    }

    @Test
    void anExtendedResourceIsNeverOvercommitted() {
        assertThat(check(extended("nvidia.com/gpu", 1), extended("nvidia.com/gpu", 1))).isEmpty();
        assertThat(check(ResourceList.NONE, extended("nvidia.com/gpu", 2))).as("the request defaults to the limit").isEmpty();
        assertThat(check(extended("nvidia.com/gpu", 1), extended("nvidia.com/gpu", 2)))
                .containsExactly("resources.requests[nvidia.com/gpu]: Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2");
        assertThat(check(extended("nvidia.com/gpu", 1), ResourceList.NONE))
                .containsExactly("resources.limits[nvidia.com/gpu]: Required value: Limit must be set for non overcommitable resources");
    }

    @Test
    void extendedResourceNamesAreQualifiedAndOutsideKubernetesIo() {
        assertThat(check(ResourceList.NONE, extended("example.com/foo", 3))).isEmpty();
        assertThat(check(ResourceList.NONE, extended("gpu", 1))).singleElement().asString()
                .startsWith("resources.limits[gpu]: Invalid value: must be a standard resource (cpu, memory) or a fully qualified");
        assertThat(check(ResourceList.NONE, extended("kubernetes.io/gpu", 1))).singleElement().asString()
                .contains("the kubernetes.io domain is reserved");
        assertThat(check(ResourceList.NONE, extended("example.com/foo", -1)))
                .containsExactly("resources.limits[example.com/foo]: Invalid value: \"-1\": must be greater than or equal to 0");
    }

    @Test
    void atMost32ExtendedResources() {
        Map<String, Long> many = new HashMap<>();
        for (int i = 0; i < 33; i++) many.put("example.com/r" + i, 1L);

        assertThat(check(ResourceList.NONE, new ResourceList(null, null, many)))
                .containsExactly("resources.limits: has 33 extended resources, at most 32 are allowed");
    }
}
