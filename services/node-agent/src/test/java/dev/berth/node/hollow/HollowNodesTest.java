package dev.berth.node.hollow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerMetrics;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.PodMetrics;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.node.core.RestartBackoff;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hollow nodes on a real broker run the node agent's real core: placements become Running (naming
 * their placement as cause), releases Stopped, a container that exits is restarted after its back-off,
 * every pod's status is re-reported, bad placements are set aside, and heartbeats carry what runs.
 */
class HollowNodesTest {
    static TestBus bus;
    static Vertx vertx;
    static HollowNodes nodes;
    static final PodTemplate SLEEP = new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), Map.of(),
            new Resources(10, 16L << 20), "Always", 1);

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        HollowNodes.Options o = new HollowNodes.Options("h-", 3, new NodeResources(4000, 16L << 30, 110), Duration.ofMillis(200))
                .withRestartBackoff(new RestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .withStatusReportInterval(Duration.ofMillis(500))
                .withMetrics(HollowNodes.Metrics.every(Duration.ofMillis(300), 100, 32L << 20));
        nodes = new HollowNodes(bus.config(), o);
        TestBus.await(vertx.deployVerticle(nodes));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    @Test
    void aPlacedPodRunsAndAReleasedOneStops() {
        bus.send(Topic.PLACEMENTS, "h-1", new PodPlaced("web-1", "h-1", "web", SLEEP, 3, Map.of(), List.of()));
        awaitStatus("web-1", s -> s.state() == ContainerState.Running);
        assertThat(nodes.runningPods()).containsEntry("web-1", "h-1");
        assertThat(nodes.runtime("h-1").running("web-1")).isTrue();
        Envelope placed = bus.read(Topic.PLACEMENTS).stream().filter(e -> e.data() instanceof PodPlaced p && p.pod().equals("web-1"))
                .findFirst().orElseThrow();
        Envelope running = bus.read(Topic.POD_STATUS).stream()
                .filter(e -> e.data() instanceof PodStatusChanged s && s.pod().equals("web-1") && s.state() == ContainerState.Running)
                .findFirst().orElseThrow();
        assertThat(running.causationId()).isEqualTo(placed.id());
        await().atMost(Duration.ofSeconds(20)).until(() -> lastHeartbeat("h-1").pods().contains("web-1"));

        bus.send(Topic.PLACEMENTS, "h-1", new PodReleased("web-1", "h-1", "web"));
        awaitStatus("web-1", s -> s.state() == ContainerState.Stopped);
        assertThat(nodes.runningPods()).doesNotContainKey("web-1");
        assertThat(nodes.doubled()).isEmpty();
    }

    @Test
    void anExitedContainerIsRestartedAfterItsBackOffAndEveryStatusIsReportedAgain() {
        bus.send(Topic.PLACEMENTS, "h-2", new PodPlaced("crash-1", "h-2", "crash", SLEEP, 3, Map.of(), List.of()));
        awaitStatus("crash-1", s -> s.state() == ContainerState.Running);
        nodes.runtime("h-2").exit("crash-1", 2);
        awaitStatus("crash-1", s -> s.state() == ContainerState.Waiting && s.message().equals("back-off 100ms restarting failed container (exit 2)"));
        PodStatusChanged restarted = awaitStatus("crash-1", s -> s.state() == ContainerState.Running && s.restartCount() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> statuses("crash-1").stream().filter(restarted::equals).count() >= 3);
    }

    @Test
    void runningPodsAppearInSyntheticMetricsWithTheConfiguredOrSetUsage() {
        bus.send(Topic.PLACEMENTS, "h-1", new PodPlaced("busy-1", "h-1", "busy", SLEEP, 3, Map.of(), List.of()));
        bus.send(Topic.PLACEMENTS, "h-1", new PodPlaced("calm-1", "h-1", "calm", SLEEP, 3, Map.of(), List.of()));
        awaitStatus("busy-1", s -> s.state() == ContainerState.Running);
        awaitStatus("calm-1", s -> s.state() == ContainerState.Running);
        assertThat(nodes.runtime("h-1").use("busy-1", 900, 64L << 20)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            NodeMetrics m = lastMetrics("h-1");
            return m != null && m.pods().stream().anyMatch(p -> p.pod().equals("busy-1") && p.cpuMillicores() == 900);
        });
        NodeMetrics m = lastMetrics("h-1");
        PodMetrics calm = m.pods().stream().filter(p -> p.pod().equals("calm-1")).findFirst().orElseThrow();
        assertThat(calm.containers()).containsExactly(new ContainerMetrics("calm", 100, 32L << 20));
        assertThat(calm.deployment()).isEqualTo("calm");
        assertThat(m.cpuMillicores()).isEqualTo(m.pods().stream().mapToLong(PodMetrics::cpuMillicores).sum());
        assertThat(m.windowMillis()).isEqualTo(300);
    }

    private static NodeMetrics lastMetrics(String node) {
        List<NodeMetrics> all = bus.payloads(Topic.RESOURCE_METRICS, NodeMetrics.class).stream().filter(h -> h.node().equals(node)).toList();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    @Test
    void aBadPlacementIsSetAsideAndTheNodesGoOn() {
        bus.send(Topic.PLACEMENTS, "h-3", new PodPlaced("Not_A_Label", "h-3", "x", SLEEP, 3, Map.of(), List.of()));
        bus.send(Topic.PLACEMENTS, "h-3", "garbage");
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterReasons().stream().anyMatch(r -> r.contains("is not a DNS-1123 label"))
                && deadLetterReasons().stream().anyMatch(r -> r.contains("not valid JSON")));
        bus.send(Topic.PLACEMENTS, "h-3", new PodPlaced("after-1", "h-3", "x", SLEEP, 3, Map.of(), List.of()));
        awaitStatus("after-1", s -> s.state() == ContainerState.Running);
    }

    private static List<String> deadLetterReasons() {
        List<String> reasons = new ArrayList<>();
        LogReader.readAll(bus.config(), List.of(Topic.DEAD_LETTERS), r -> reasons.add(r.value()));
        return reasons;
    }

    private static NodeHeartbeat lastHeartbeat(String node) {
        List<NodeHeartbeat> beats = bus.payloads(Topic.NODE_HEARTBEATS, NodeHeartbeat.class).stream().filter(h -> h.node().equals(node)).toList();
        return beats.get(beats.size() - 1);
    }

    private static List<PodStatusChanged> statuses(String pod) {
        return bus.payloads(Topic.POD_STATUS, PodStatusChanged.class).stream().filter(s -> s.pod().equals(pod)).toList();
    }

    private static PodStatusChanged awaitStatus(String pod, Predicate<PodStatusChanged> match) {
        PodStatusChanged[] found = new PodStatusChanged[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            found[0] = statuses(pod).stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }
}
