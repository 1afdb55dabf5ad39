package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CordonNode;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.node.hollow.HollowNodes;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerReplay;
import dev.berth.scheduler.SchedulerVerticle;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scheduler at a few hundred nodes, through the real broker: 300 hollow nodes in three zones
 * (more than the 100 a pass samples), 3,000 pods of 30 deployments. Replicas spread over zones and
 * nodes, placements explain their sample, a node selector holds, cordoned nodes get nothing new, a
 * pod too large for any node gets a message counting all 300, and replaying the recorded steps
 * (sampled passes, rotating start) decides exactly as the scheduler did.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleSchedulingIntegrationTest {
    static final int NODES = 300;
    static final int DEPLOYMENTS = 30;
    static final int REPLICAS = 100;
    static final PodTemplate SMALL = new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), Map.of(),
            new Resources(50, 32L << 20), "Always", 1);

    static TestBus bus;
    static Vertx vertx;
    static HollowNodes nodes;

    @BeforeAll
    static void startCluster() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        nodes = new HollowNodes(bus.config(), HollowNodes.Options.of(NODES).withZones(3));
        deploy(nodes);
        deploy(new ControllerVerticle(bus.config(), ControllerOptions.defaults()));
        deploy(new SchedulerVerticle(bus.config(), SchedulerOptions.defaults()));
        for (int d = 0; d < DEPLOYMENTS; d++) bus.sendCommand(new ApplyDeployment(new DeploymentSpec("web-" + d, REPLICAS, SMALL)));
        await().atMost(Duration.ofSeconds(120)).until(() -> nodes.runningPods().size() == DEPLOYMENTS * REPLICAS);
    }

    @Test
    @Order(1)
    void everyDeploymentSpreadsEvenlyOverZonesAndNodes() {
        Map<String, String> running = nodes.runningPods();
        assertThat(nodes.doubled()).isEmpty();
        for (int d = 0; d < DEPLOYMENTS; d++) {
            String prefix = "web-" + d + "-";
            Map<String, Integer> perZone = new HashMap<>();
            Map<String, Integer> perNode = new HashMap<>();
            running.forEach((pod, node) -> {
                if (!pod.startsWith(prefix)) return;
                perZone.merge(zoneOf(node), 1, Integer::sum);
                perNode.merge(node, 1, Integer::sum);
            });
            IntSummaryStatistics zones = perZone.values().stream().mapToInt(Integer::intValue).summaryStatistics();
            assertThat(zones.getCount()).as("zones used by web-%d", d).isEqualTo(3);
            assertThat(zones.getMax() - zones.getMin()).as("zone imbalance of web-%d: %s", d, perZone).isLessThanOrEqualTo(2);
            assertThat(perNode.values()).as("replicas of web-%d per node", d).allMatch(n -> n == 1);
        }
    }

    @Test
    @Order(2)
    void placementsSayTheyExaminedASampleOfTheCluster() {
        List<PodPlaced> placed = bus.payloads(Topic.PLACEMENTS, PodPlaced.class);
        assertThat(placed).hasSizeGreaterThanOrEqualTo(DEPLOYMENTS * REPLICAS);
        assertThat(placed).allSatisfy(p -> {
            assertThat(p.nodesKnown()).isEqualTo(NODES);
            assertThat(p.nodesConsidered()).isBetween(100, NODES);
            assertThat(p.topCandidates()).hasSize(3);
            assertThat(p.topCandidates().get(0).node()).isEqualTo(p.node());
        });
    }

    @Test
    @Order(4)
    void aNodeSelectorKeepsPodsInTheirZone() {
        PodTemplate zoned = SMALL.withPlacement(Map.of("topology.kubernetes.io/zone", "zone-2"), List.of());
        bus.sendCommand(new ApplyDeployment(new DeploymentSpec("zoned", 40, zoned)));
        await().atMost(Duration.ofSeconds(60)).until(() -> podsOf("zoned").size() == 40);
        assertThat(podsOf("zoned").values()).allMatch(node -> zoneOf(node).equals("zone-2"));
    }

    @Test
    @Order(5)
    void cordonedNodesGetNoNewPods() {
        Set<String> cordoned = Set.of("hollow-1", "hollow-2", "hollow-3", "hollow-4", "hollow-5");
        for (String node : cordoned) bus.sendCommand(new CordonNode(node));
        await().atMost(Duration.ofSeconds(30)).until(() -> bus.payloads(Topic.NODES, dev.berth.bus.contract.NodeStatusChanged.class)
                .stream().filter(s -> cordoned.contains(s.node()) && s.cordoned()).map(s -> s.node()).collect(Collectors.toSet())
                .size() == cordoned.size());
        bus.sendCommand(new ApplyDeployment(new DeploymentSpec("after-cordon", 200, SMALL)));
        await().atMost(Duration.ofSeconds(60)).until(() -> podsOf("after-cordon").size() == 200);
        assertThat(podsOf("after-cordon").values()).noneMatch(cordoned::contains);
    }

    @Test
    @Order(3)
    void aPodTooLargeForAnyNodeIsToldWhyAcrossAllNodes() {
        PodTemplate huge = new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), Map.of(),
                new Resources(100, 64L << 30), "Always", 1);
        bus.sendCommand(new ApplyDeployment(new DeploymentSpec("huge", 1, huge)));
        PodUnschedulable u = bus.await(Topic.SCHEDULING, PodUnschedulable.class, e -> e.deployment().equals("huge"),
                Duration.ofSeconds(30));
        assertThat(u.message()).isEqualTo("0/300 nodes available: 300 Insufficient memory.");
        assertThat(u.nodesConsidered()).isEqualTo(NODES);
    }

    @Test
    @Order(6)
    void replayOfTheSampledPassesDecidesExactlyAsTheSchedulerDid() {
        List<RawRecord> log = new ArrayList<>();
        LogSource.broker(bus.config()).read(List.of(Topic.values()), log::add);
        SchedulerReplay.Result replayed = SchedulerReplay.run(log, null, null, null, SchedulerOptions.defaults().nodeStaleness());
        assertThat(replayed.decisions()).isGreaterThanOrEqualTo(DEPLOYMENTS * REPLICAS);
        assertThat(replayed.differences()).isEmpty();
    }

    /** Hollow node i is in zone-(1 + (i-1) mod 3). */
    static String zoneOf(String node) {
        int i = Integer.parseInt(node.substring("hollow-".length()));
        return "zone-" + (1 + (i - 1) % 3);
    }

    static Map<String, String> podsOf(String deployment) {
        return nodes.runningPods().entrySet().stream().filter(e -> e.getKey().startsWith(deployment + "-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    static String deploy(io.vertx.core.Deployable verticle) throws Exception {
        return TestBus.await(vertx.deployVerticle(verticle));
    }

    @AfterAll
    static void stop() throws Exception {
        TestBus.await(vertx.close());
        bus.close();
    }
}
