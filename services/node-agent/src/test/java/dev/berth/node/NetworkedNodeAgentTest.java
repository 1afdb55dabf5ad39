package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Envelope;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.node.network.CniException;
import dev.berth.node.network.InMemoryPodNetworking;
import dev.berth.node.network.PodNetwork;
import dev.berth.node.network.PodNetworking;
import dev.berth.node.network.PortMapping;
import dev.berth.node.runtime.InMemoryRuntime;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's network steps through its real shell on a real broker, containers in memory and the pod
 * network a recording one: the CIDR from berth.nodes, ADD before the container exists, the namespace in
 * its spec, DEL once it is removed, a failed ADD as FailedCreatePodSandBox.
 */
class NetworkedNodeAgentTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static TestBus bus;
    static Vertx vertx;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final InMemoryRuntime runtime = new InMemoryRuntime();
    final List<String> steps = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failAdds = new AtomicInteger();
    final List<String> deployments = new ArrayList<>();

    /** Addresses as the in-memory networking gives them; what the agent does, and what the runtime had then, recorded. */
    final class Recording implements PodNetworking {
        final InMemoryPodNetworking inner;

        Recording(String node, String cidr) { inner = new InMemoryPodNetworking(node, cidr); }

        @Override public PodNetwork setUp(String pod, List<PortMapping> ports) throws CniException {
            steps.add("ADD " + pod + " ports=" + ports + " container=" + runtime.running(pod));
            if (failAdds.getAndDecrement() > 0) throw new CniException("bridge", "ADD", 11, "failed to allocate for range 0", null);
            return inner.setUp(pod, ports);
        }
        @Override public Optional<PodNetwork> known(String pod) throws IOException { return inner.known(pod); }
        @Override public void tearDown(String pod) {
            steps.add("DEL " + pod + " container=" + runtime.running(pod) + " removed=" + runtime.stopped().contains(pod));
            inner.tearDown(pod);
        }
        @Override public Path netnsPath(String pod) { return inner.netnsPath(pod); }
        @Override public SortedSet<String> pods() { return inner.pods(); }
        @Override public List<Exception> tearDownAll() { steps.add("tearDownAll"); return inner.tearDownAll(); }
    }

    final PodNetworkSetup recorded = new PodNetworkSetup() {
        @Override public boolean waitsForPodCidr() { return true; }
        @Override public PodNetworking open(String node, Path stateDir, String podCidr) {
            return podCidr == null ? null : new Recording(node, podCidr);
        }
    };

    @BeforeAll
    static void startBus() {
        bus = TestBus.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopBus() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    @AfterEach
    void stopAgents() throws Exception {
        for (String id : deployments) TestBus.await(vertx.undeploy(id));
    }

    @Test
    void aPodWaitsForTheCidrThenItsNetworkIsAddedBeforeItsContainerAndDeletedAfter() throws Exception {
        NodeAgentOptions node = start("wire");
        String pod = "web-" + run;
        place(node, pod, template().withPorts(List.of(new ContainerPort(80, "http", "TCP", 8080), ContainerPort.of(9090))));
        PodStatusChanged waiting = awaitStatus(pod, s -> s.state() == ContainerState.Waiting);
        assertThat(waiting.reason()).isEqualTo("ContainerCreating");
        assertThat(waiting.message()).isEqualTo("waiting for the node's pod CIDR");
        assertThat(steps).isEmpty();
        assertThat(runtime.running(pod)).isFalse();

        bus.send(Topic.NODES, node.nodeName(), new NodeStatusChanged(node.nodeName(), NodeCondition.Ready, false, "heartbeats received",
                Instant.now(), "10.244.7.0/24"));
        PodStatusChanged running = awaitStatus(pod, s -> s.state() == ContainerState.Running);
        assertThat(running.podIP()).isEqualTo("10.244.7.2");
        assertThat(steps).containsExactly("ADD " + pod + " ports=[PortMapping[hostPort=8080, containerPort=80, protocol=tcp, hostIP=null]] container=false");
        assertThat(runtime.spec(pod).networkNamespace()).isEqualTo(Path.of("/run/netns/hollow_" + node.nodeName() + "_" + pod));

        assertThat(runtime.exit(pod, 1)).isTrue();
        PodStatusChanged restarted = awaitStatus(pod, s -> s.state() == ContainerState.Running && s.restartCount() == 1);
        assertThat(restarted.podIP()).as("same network").isEqualTo("10.244.7.2");
        assertThat(steps).as("a restart runs no plugin").hasSize(1);

        release(node, pod);
        awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
        await().atMost(WAIT).until(() -> steps.size() == 2);
        assertThat(steps.get(1)).isEqualTo("DEL " + pod + " container=false removed=true");
    }

    @Test
    void aFailedAddIsAFailedCreatePodSandBoxAndTheContainerNeverStarts() throws Exception {
        failAdds.set(1);
        NodeAgentOptions node = start("fails");
        bus.send(Topic.NODES, node.nodeName(), new NodeStatusChanged(node.nodeName(), NodeCondition.Ready, false, "heartbeats received",
                Instant.now(), "10.244.8.0/24"));
        String pod = "web-" + run;
        place(node, pod, template());
        PodStatusChanged failed = awaitStatus(pod, s -> s.state() == ContainerState.Failed);
        assertThat(failed.reason()).isEqualTo("FailedCreatePodSandBox");
        assertThat(failed.message()).startsWith("Failed to create pod sandbox: CNI ADD of plugin bridge failed (code 11");
        PodStatusChanged waiting = awaitStatus(pod, s -> s.state() == ContainerState.Waiting && s.restartCount() == 0
                && !s.message().equals("waiting for the node's pod CIDR")); // the CIDR may come after the placement
        assertThat(waiting.reason()).isEqualTo("FailedCreatePodSandBox");
        assertThat(waiting.message()).startsWith("back-off 10s before creating the pod sandbox again");
        assertThat(runtime.running(pod)).isFalse();
        assertThat(runtime.spec(pod)).isNull();
    }

    @Test
    void theAgentThatStopsTearsDownWhatIsLeft() throws Exception {
        NodeAgentOptions node = options("stops");
        String id = TestBus.await(vertx.deployVerticle(new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.inMemory(runtime), recorded)));
        bus.send(Topic.NODES, node.nodeName(), new NodeStatusChanged(node.nodeName(), NodeCondition.Ready, false, "ok", Instant.now(), "10.244.9.0/24"));
        String pod = "web-" + run;
        place(node, pod, template());
        awaitStatus(pod, s -> s.state() == ContainerState.Running);
        TestBus.await(vertx.undeploy(id));
        assertThat(steps).containsSubsequence("ADD " + pod + " ports=[] container=false", "DEL " + pod + " container=false removed=true", "tearDownAll");
    }

    private NodeAgentOptions options(String name) {
        return NodeAgentOptions.local(name + "-" + run, Path.of("/nonexistent/berth-in-memory"), Path.of("/nonexistent/berth-images"))
                .withResyncInterval(Duration.ofMillis(500));
    }

    private NodeAgentOptions start(String name) throws Exception {
        NodeAgentOptions node = options(name);
        deployments.add(TestBus.await(vertx.deployVerticle(new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.inMemory(runtime), recorded))));
        return node;
    }

    static PodTemplate template() {
        return new PodTemplate("busybox", List.of("sleep"), List.of("3600"), Map.of(), new Resources(100, 16L << 20), "Always", 1);
    }

    private static void place(NodeAgentOptions node, String pod, PodTemplate t) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced(pod, node.nodeName(), "test", t, 1, Map.of(), List.of()));
    }

    private static void release(NodeAgentOptions node, String pod) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodReleased(pod, node.nodeName(), "test"));
    }

    private static PodStatusChanged awaitStatus(String pod, Predicate<PodStatusChanged> match) {
        PodStatusChanged[] found = new PodStatusChanged[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Envelope e : bus.read(Topic.POD_STATUS)) {
                if (e.data() instanceof PodStatusChanged s && s.pod().equals(pod) && match.test(s)) {
                    found[0] = s;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
