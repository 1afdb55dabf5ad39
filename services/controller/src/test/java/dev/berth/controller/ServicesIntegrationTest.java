package dev.berth.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.RawRecord;
import dev.berth.bus.RecordLimits;
import dev.berth.bus.Samples;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ApplyService;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteService;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.ServiceApplied;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceSpec;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Service on a real broker: its Endpoints record on berth.endpoints follows a pod's IP, and its deletion leaves a tombstone. */
class ServicesIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestBus bus;
    private static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        NodeResources res = new NodeResources(4000, 8192 * Samples.MI, 110);
        bus.send(Topic.NODE_HEARTBEATS, "node-1", new NodeHeartbeat("node-1", res, res, List.of("busybox"), List.of(), 1, Instant.now()));
        TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(),
                ControllerOptions.defaults().withResyncInterval(Duration.ofSeconds(1)).withServices("10.100.0.0/16", "31000-31999"))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    @Test
    void endpointsFollowThePodAndATombstoneFollowsTheDelete() {
        Envelope deploy = bus.sendCommand(new ApplyDeployment(new DeploymentSpec("web", 1, Samples.template().withLabels(Map.of("app", "web")))));
        accepted(deploy);
        PodCreated pod = bus.await(Topic.PODS, PodCreated.class, p -> p.deployment().equals("web"), WAIT);

        Envelope apply = bus.sendCommand(new ApplyService(new ServiceSpec(null, "web", ServiceSpec.NODE_PORT, null, Map.of("app", "web"),
                List.of(ServicePort.tcp(null, 80, 8080)), Map.of())));
        assertThat(accepted(apply).message()).isEqualTo("service/web created");
        ServiceSpec service = bus.await(Topic.SERVICES, ServiceApplied.class, s -> s.service().name().equals("web"), WAIT).service();
        assertThat(service.clusterIP()).startsWith("10.100.");
        assertThat(service.ports().get(0).nodePort()).isBetween(31000, 31999);

        bus.send(Topic.POD_STATUS, pod.pod(), new PodStatusChanged(pod.pod(), "node-1", ContainerState.Running, null, null, null, 0, null,
                "10.244.0.5", null));

        Awaitility.await().atMost(WAIT).until(() -> latest("web").filter(e -> e.ready() == 1).isPresent());
        Endpoints e = latest("web").orElseThrow();
        assertThat(e.clusterIP()).isEqualTo(service.clusterIP());
        assertThat(e.endpoints()).singleElement().satisfies(a -> {
            assertThat(a.pod()).isEqualTo(pod.pod());
            assertThat(a.ip()).isEqualTo("10.244.0.5");
            assertThat(a.targetPorts()).isEqualTo(Map.of("", 8080));
        });

        assertThat(accepted(bus.sendCommand(new DeleteService(null, "web"))).message()).isEqualTo("service \"web\" deleted");
        Awaitility.await().atMost(WAIT).until(() -> {
            List<RawRecord> records = endpointRecords("web");
            return !records.isEmpty() && records.get(records.size() - 1).value() == null;
        });
    }

    private static CommandAccepted accepted(Envelope command) {
        return bus.await(Topic.COMMAND_RESULTS, CommandAccepted.class, a -> a.commandId().equals(command.id()), WAIT);
    }

    private static List<RawRecord> endpointRecords(String key) {
        List<RawRecord> records = new ArrayList<>();
        LogReader.readAll(bus.config(), List.of(Topic.ENDPOINTS), r -> {
            if (key.equals(r.key())) records.add(r);
        });
        return records;
    }

    /** The last Endpoints record of {@code key}, unless that is a tombstone. */
    private static Optional<Endpoints> latest(String key) {
        List<RawRecord> records = endpointRecords(key);
        if (records.isEmpty() || records.get(records.size() - 1).value() == null) return Optional.empty();
        try {
            return Optional.of((Endpoints) ServiceLoop.admit(records.get(records.size() - 1), java.util.Set.of(), RecordLimits.defaults()).data());
        } catch (dev.berth.bus.BadRecordException ex) {
            throw new AssertionError(ex);
        }
    }
}
