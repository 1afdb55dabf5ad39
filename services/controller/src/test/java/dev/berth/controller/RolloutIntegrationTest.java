package dev.berth.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStatusChanged;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A rolling update on a real broker, the test playing the node: revisions, one pod at a time, the status, a restart. */
class RolloutIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ControllerOptions FAST_RESYNC = ControllerOptions.defaults().withResyncInterval(Duration.ofSeconds(1));
    private static final DeploymentSpec.Rollout ONE_AT_A_TIME = new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "0"), 0, null, null, false);

    private static TestBus bus;
    private static Vertx vertx;
    private final Set<String> reported = new HashSet<>();
    private int ips;

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        NodeResources res = new NodeResources(4000, 8192 * Samples.MI, 110);
        bus.send(Topic.NODE_HEARTBEATS, "node-1", new NodeHeartbeat("node-1", res, res, List.of("busybox"), List.of(), 1, Instant.now()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    private static DeploymentSpec web(String version) {
        return new DeploymentSpec("web", 2, Samples.template().withAnnotations(Map.of("version", version))).withRollout(ONE_AT_A_TIME)
                .withAnnotations(Map.of(DeploymentSpec.CHANGE_CAUSE, "version " + version));
    }

    @Test
    void rollsOutOnePodAtATimeAndARestartRepublishesNothing() throws Exception {
        String controller = TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(), FAST_RESYNC)));
        bus.sendCommand(new ApplyDeployment(web("v1")));
        Awaitility.await().atMost(WAIT).until(() -> created().size() == 2);
        runEveryNewPod();
        Awaitility.await().atMost(WAIT).until(() -> complete(1));

        bus.sendCommand(new ApplyDeployment(web("v2")));
        Awaitility.await().atMost(WAIT).until(() -> bus.payloads(Topic.DEPLOYMENTS, DeploymentApplied.class).stream().anyMatch(a -> a.revision() == 2));
        Awaitility.await().atMost(WAIT).until(() -> created().size() == 3);
        assertThat(created()).filteredOn(p -> p.revision() == 2).as("one surge pod of revision 2").hasSize(1);
        assertThat(deletions()).as("no old pod goes before a new one is ready").isEmpty();

        for (int step = 0; step < 10 && !complete(2); step++) {
            runEveryNewPod();
            stopDeleted();
            Thread.sleep(200);
        }
        Awaitility.await().atMost(WAIT).until(() -> { runEveryNewPod(); stopDeleted(); return complete(2); });
        assertThat(created()).hasSize(4).filteredOn(p -> p.revision() == 2).hasSize(2);
        assertThat(deletions()).hasSize(2).allSatisfy(d -> assertThat(d.reason()).isEqualTo("replaced: deployment web rolled out revision 2"));
        assertThat(statuses()).allSatisfy(s -> assertThat(s.replicas()).isLessThanOrEqualTo(3));
        assertThat(statuses()).filteredOn(s -> s.revision() == 2).allSatisfy(s -> assertThat(s.availableReplicas()).isGreaterThanOrEqualTo(2));

        int published = statuses().size(), pods = bus.read(Topic.PODS).size();
        TestBus.await(vertx.undeploy(controller));
        TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(), FAST_RESYNC)));
        Thread.sleep(3_000); // several resyncs
        assertThat(statuses()).as("the rebuilt status is the last published").hasSize(published);
        assertThat(bus.read(Topic.PODS)).hasSize(pods);
    }

    private boolean complete(long revision) {
        List<DeploymentStatusChanged> s = statuses();
        if (s.isEmpty()) return false;
        DeploymentStatusChanged last = s.get(s.size() - 1);
        return last.revision() == revision && last.condition("Progressing") != null
                && "NewReplicaSetAvailable".equals(last.condition("Progressing").reason()) && last.availableReplicas() == 2;
    }

    /** The node starts every pod it was not told about yet: Running and ready. */
    private void runEveryNewPod() {
        for (PodCreated p : created()) {
            if (reported.add(p.pod())) {
                bus.send(Topic.POD_STATUS, p.pod(), new PodStatusChanged(p.pod(), "node-1", ContainerState.Running, null, null, null, 0,
                        null, "10.244.0." + (++ips + 1), true));
            }
        }
    }

    private void stopDeleted() {
        for (PodDeletionRequested d : deletions()) {
            if (reported.add("stopped " + d.pod())) {
                bus.send(Topic.POD_STATUS, d.pod(), new PodStatusChanged(d.pod(), "node-1", ContainerState.Stopped, 0, null, null, 0, null, null, false));
            }
        }
    }

    private static List<PodCreated> created() { return bus.payloads(Topic.PODS, PodCreated.class); }

    private static List<PodDeletionRequested> deletions() { return bus.payloads(Topic.PODS, PodDeletionRequested.class); }

    private static List<DeploymentStatusChanged> statuses() { return bus.payloads(Topic.DEPLOYMENTS, DeploymentStatusChanged.class); }
}
