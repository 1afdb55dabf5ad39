package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import dev.berth.bus.contract.Resources;
import dev.berth.scheduler.core.plugins.ResourcesFit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler reserves requests (a missing one is the limit), extended resources included, and never limits. */
class RequestsAndLimitsTest {
    static final String GPU = "nvidia.com/gpu";

    final SchedulerState state = new SchedulerState();
    final Processors core = processors(state);

    static PodCreated pod(String name, ResourceList requests, ResourceList limits) {
        PodTemplate t = new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), Map.of(),
                new ResourceRequirements(requests, limits), "Always", 10);
        return new PodCreated(name, "web", 1, t);
    }

    static ResourceList cpuMemory(Long cpu, Long memoryMi) { return new ResourceList(cpu, memoryMi == null ? null : memoryMi * MI, null); }

    static ResourceList gpus(long n) { return new ResourceList(null, null, Map.of(GPU, n)); }

    static NodeHeartbeat node(String name, long cpu, long memoryMi, Map<String, Long> extended) {
        NodeResources capacity = new NodeResources(cpu, memoryMi * MI, 110, extended);
        return new NodeHeartbeat(name, capacity, capacity, List.of("busybox"), List.of(), 1, STARTED);
    }

    String placed(PodCreated p) {
        List<PodPlaced> placed = payloads(core.onPodCreated(p, T0), PodPlaced.class);
        return placed.isEmpty() ? null : placed.get(0).node();
    }

    PodUnschedulable unschedulable(PodCreated p) {
        return payloads(core.onPodCreated(p, T0), PodUnschedulable.class).get(0);
    }

    @Test
    void requestsAreReservedNotLimits() {
        core.onHeartbeat(node("node-a", 1000, 1024, Map.of()), T0, T0);
        for (int i = 0; i < 4; i++) {
            assertThat(placed(pod("p" + i, cpuMemory(250L, 128L), cpuMemory(2000L, 1024L)))).isEqualTo("node-a");
        }
        assertThat(state.allocation("node-a").used()).isEqualTo(new Resources(1000, 512 * MI));
        assertThat(unschedulable(pod("p5", cpuMemory(250L, 128L), cpuMemory(2000L, 1024L))).message())
                .isEqualTo("0/1 nodes available: 1 Insufficient cpu.");
    }

    @Test
    void aMissingRequestIsTheLimit() {
        core.onHeartbeat(node("node-a", 1000, 1024, Map.of()), T0, T0);
        assertThat(placed(pod("p1", ResourceList.NONE, cpuMemory(600L, 64L)))).isEqualTo("node-a");
        assertThat(state.allocation("node-a").used()).isEqualTo(new Resources(600, 64 * MI));
        assertThat(unschedulable(pod("p2", cpuMemory(null, 64L), cpuMemory(600L, null))).message())
                .isEqualTo("0/1 nodes available: 1 Insufficient cpu.");
    }

    @Test
    void aPodWithoutRequestsOrLimitsReservesNothingAndAlwaysFitsButCountsForScoring() {
        core.onHeartbeat(node("node-a", 1000, 1024, Map.of()), T0, T0);
        core.onHeartbeat(node("node-b", 1000, 1024, Map.of()), T0, T0);
        assertThat(placed(pod("p1", ResourceList.NONE, ResourceList.NONE))).isEqualTo("node-a");

        var a = state.allocation("node-a");
        assertThat(a.used()).isEqualTo(Resources.ZERO);
        assertThat(a.scored()).isEqualTo(new Resources(PodRequest.DEFAULT_CPU_MILLIS, PodRequest.DEFAULT_MEMORY_BYTES));
        assertThat(placed(pod("p2", ResourceList.NONE, ResourceList.NONE))).as("spread by the non-zero defaults").isEqualTo("node-b");
    }

    @Test
    void theNonZeroDefaultsNeverFilter() {
        core.onHeartbeat(node("node-a", 50, 100, Map.of()), T0, T0); // less than 100m and 200Mi
        assertThat(placed(pod("p1", ResourceList.NONE, ResourceList.NONE))).isEqualTo("node-a");
    }

    @Test
    void scoringDefaultsApplyPerResource() {
        PodRequest cpuOnly = new PodRequest("p", "web", pod("p", cpuMemory(300L, null), ResourceList.NONE).template());
        PodRequest zero = new PodRequest("p", "web", pod("p", cpuMemory(0L, 0L), ResourceList.NONE).template());

        assertThat(cpuOnly.resources()).isEqualTo(new Resources(300, 0));
        assertThat(cpuOnly.scored()).isEqualTo(new Resources(300, PodRequest.DEFAULT_MEMORY_BYTES));
        assertThat(zero.scored()).as("an explicit 0 stays 0, as in Kubernetes").isEqualTo(Resources.ZERO);
    }

    @Test
    void extendedResourcesAreFilteredAndReserved() {
        core.onHeartbeat(node("node-a", 4000, 4096, Map.of()), T0, T0);
        core.onHeartbeat(node("node-b", 4000, 4096, Map.of(GPU, 2L)), T0, T0);
        assertThat(placed(pod("p1", ResourceList.NONE, gpus(1)))).isEqualTo("node-b");
        assertThat(placed(pod("p2", gpus(1), gpus(1)))).isEqualTo("node-b");
        assertThat(state.allocation("node-b").used().extended()).isEqualTo(Map.of(GPU, 2L));

        PodUnschedulable u = unschedulable(pod("p3", ResourceList.NONE, gpus(1)));
        assertThat(u.message()).isEqualTo("0/2 nodes available: 2 Insufficient nvidia.com/gpu.");
        assertThat(u.filtered()).isEqualTo(Map.of("Insufficient nvidia.com/gpu", 2));
        assertThat(state.pending("p3")).as("stays pending, never dropped").isNotNull();
    }

    @Test
    void aReleasedPodGivesItsExtendedResourcesBack() {
        core.onHeartbeat(node("node-b", 4000, 4096, Map.of(GPU, 1L)), T0, T0);
        assertThat(placed(pod("p1", ResourceList.NONE, gpus(1)))).isEqualTo("node-b");
        core.onInput(status("p1", "node-b", dev.berth.bus.contract.ContainerState.Stopped, 0), T0, T0);

        assertThat(state.allocation("node-b").used().extended()).isEmpty();
        assertThat(placed(pod("p2", ResourceList.NONE, gpus(1)))).isEqualTo("node-b");
    }

    @Test
    void aResourceNoNodeAdvertisesKeepsThePodPendingWithThatReason() {
        core.onHeartbeat(node("node-a", 4000, 4096, Map.of(GPU, 8L)), T0, T0);
        PodUnschedulable u = unschedulable(pod("p1", ResourceList.NONE, new ResourceList(null, null, Map.of("example.com/foo", 1L))));

        assertThat(u.message()).isEqualTo("0/1 nodes available: 1 Insufficient example.com/foo.");
        assertThat(state.pendingNames()).containsExactly("p1");
    }

    @Test
    void aZeroExtendedRequestNeedsNoNodeOfferingIt() {
        core.onHeartbeat(node("node-a", 1000, 1024, Map.of()), T0, T0);
        assertThat(placed(pod("p1", ResourceList.NONE, gpus(0)))).isEqualTo("node-a");
    }

    @Test
    void reasonsComeInKubernetesOrderOnePerNode() {
        NodeView full = new NodeView("n", new NodeResources(1000, 1024 * MI, 1, Map.of(GPU, 1L)), Resources.ZERO, 1, T0, STARTED);
        NodeView small = new NodeView("n", new NodeResources(100, 64 * MI, 10, Map.of(GPU, 1L)), Resources.ZERO, 0, T0, STARTED);
        NodeView roomy = new NodeView("n", new NodeResources(1000, 1024 * MI, 10, Map.of(GPU, 1L)),
                new Resources(0, 0, Map.of(GPU, 1L)), 1, T0, STARTED);
        PodRequest wantsAll = new PodRequest("p", "web", pod("p", ResourceList.NONE,
                new ResourceList(500L, 128 * MI, Map.of(GPU, 1L, "example.com/foo", 1L))).template());
        ResourcesFit fit = new ResourcesFit();

        assertThat(fit.filter(wantsAll, full, T0)).isEqualTo("Too many pods");
        assertThat(fit.filter(wantsAll, small, T0)).isEqualTo("Insufficient cpu");
        assertThat(fit.filter(wantsAll, roomy, T0)).isEqualTo("Insufficient example.com/foo");
        assertThat(fit.forPod(wantsAll).filter(wantsAll, roomy, T0)).isEqualTo("Insufficient example.com/foo");
        assertThat(roomy.freeExtended(GPU)).isZero();
    }

    @Test
    void oldRecordsReserveWhatTheyDidBefore() {
        core.onHeartbeat(heartbeat("node-a", 1000, 1024, 10), T0, T0);
        assertThat(placed(Fixtures.pod("p1", 250, 256))).isEqualTo("node-a");
        assertThat(state.allocation("node-a")).isEqualTo(new SchedulerState.Allocation(new Resources(250, 256 * MI), 1));
    }

    @Test
    void aPlacementFromAnOldLogReservesItsFlatResources() throws Exception {
        String old = "{\"id\":\"1\",\"type\":\"PodPlaced\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"scheduler\","
                + "\"data\":{\"pod\":\"web-1\",\"node\":\"node-a\",\"deployment\":\"web\",\"template\":{\"image\":\"busybox\","
                + "\"resources\":{\"cpuMillis\":300,\"memoryBytes\":134217728},\"restartPolicy\":\"Always\"},\"nodesConsidered\":1}}";
        core.onHeartbeat(node("node-a", 1000, 1024, Map.of()), T0, T0);

        Appliers.apply(state, (PodPlaced) dev.berth.bus.Json.decode(old).data());

        assertThat(state.allocation("node-a")).isEqualTo(new SchedulerState.Allocation(new Resources(300, 128 * MI), 1));
    }
}
