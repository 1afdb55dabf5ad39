package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.testing.TestBus;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Node lifecycle end to end on a real broker: the controller and scheduler verticles with three
 * simulated nodes (heartbeats and pod statuses published by the test, no containers). A node that
 * falls silent goes NotReady, its pod is lost, released on that node and replaced on another; drain
 * and cordon through the CLI; a controller restart declares no node NotReady.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeFailureIntegrationTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ControllerOptions CONTROLLER = ControllerOptions.defaults().withResyncInterval(Duration.ofSeconds(2));

    static TestBus bus;
    static Vertx vertx;
    static String controller;
    static final Map<String, SimulatedNode> nodes = new LinkedHashMap<>();
    static CommandClient client;

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        for (String n : List.of("node-1", "node-2", "node-3")) nodes.put(n, new SimulatedNode(bus.config(), n));
        vertx = Vertx.vertx();
        controller = deployController();
        TestBus.await(vertx.deployVerticle(new SchedulerVerticle(bus.config(), SchedulerOptions.defaults()
                .withRetryInterval(Duration.ofMillis(500)).withWarmUp(Duration.ofSeconds(1)))));
        client = new CommandClient(bus.config());
        eventually(() -> statuses(s -> s.condition() == NodeCondition.Ready).stream().map(NodeStatusChanged::node).distinct().count(),
                n -> n == 3);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        nodes.values().forEach(SimulatedNode::close);
        if (bus != null) bus.close();
    }

    @Test
    @Order(1)
    void aSilentNodesPodIsLostReleasedThereAndReplacedElsewhereAndTheNodeIsFencedWhenItReturns() {
        accept(new ApplyDeployment(Samples.deployment("web", 3)));
        List<ClusterView.PodRow> three = eventually(() -> ready("web"),
                pods -> pods.size() == 3 && pods.stream().map(p -> p.node).distinct().count() == 3);
        ClusterView.PodRow victimPod = three.get(0);
        SimulatedNode victim = nodes.get(victimPod.node);

        victim.fail();
        Instant lastHeartbeat = victim.lastHeartbeat();

        Envelope notReady = awaitEnvelope(Topic.NODES, e -> e.data() instanceof NodeStatusChanged s
                && s.node().equals(victim.name()) && s.condition() == NodeCondition.NotReady);
        Envelope lost = awaitEnvelope(Topic.PODS, e -> e.data() instanceof PodLost l && l.pod().equals(victimPod.name));
        assertThat(((PodLost) lost.data()).node()).isEqualTo(victim.name());
        Keyed release = eventually(() -> keyed(Topic.PLACEMENTS, PodReleased.class, r -> r.pod().equals(victimPod.name)),
                found -> !found.isEmpty()).get(0);
        assertThat(release.key()).as("keyed by the silent node, so its agent reads it after the placement").isEqualTo(victim.name());
        assertThat((PodReleased) release.envelope().data()).isEqualTo(new PodReleased(victimPod.name, victim.name(), "node lost"));

        Set<String> originals = Set.of(three.get(0).name, three.get(1).name, three.get(2).name);
        Envelope placed = awaitEnvelope(Topic.PLACEMENTS, e -> e.data() instanceof PodPlaced p && p.deployment().equals("web")
                && !originals.contains(p.pod()));
        PodPlaced replacement = (PodPlaced) placed.data();
        assertThat(replacement.node()).isNotEqualTo(victim.name());
        assertThat(replacement.filtered()).containsEntry("node not ready", 1);
        Envelope running = awaitEnvelope(Topic.POD_STATUS, e -> e.data() instanceof PodStatusChanged s
                && s.pod().equals(replacement.pod()) && s.state() == ContainerState.Running);
        eventually(() -> ready("web"), pods -> pods.size() == 3 && pods.stream().noneMatch(p -> victim.name().equals(p.node)));
        System.out.printf("node failure (grace %d s, eviction delay %d s): last heartbeat -> NotReady %d ms, -> PodLost %d ms,"
                        + " -> replacement placed %d ms, -> replacement Running %d ms%n",
                CONTROLLER.nodeGracePeriod().toSeconds(), CONTROLLER.podEvictionDelay().toSeconds(),
                millis(lastHeartbeat, notReady), millis(lastHeartbeat, lost), millis(lastHeartbeat, placed), millis(lastHeartbeat, running));

        victim.recover();

        awaitEnvelope(Topic.NODES, e -> e.data() instanceof NodeStatusChanged s && s.node().equals(victim.name())
                && s.condition() == NodeCondition.Ready && e.time().isAfter(notReady.time()));
        eventually(victim::running, pods -> !pods.contains(victimPod.name));
        awaitEnvelope(Topic.POD_STATUS, e -> e.data() instanceof PodStatusChanged s && s.pod().equals(victimPod.name)
                && s.state() == ContainerState.Stopped && s.node().equals(victim.name()));
        assertThat(runningEverywhere("web")).as("no replica doubled").hasSize(3);
        assertThat(bus.payloads(Topic.PODS, PodLost.class)).as("lost once").hasSize(1);

        assertThat(berth("describe", "pod/" + victimPod.name).out()).contains("Status:           Lost\n")
                .contains("NodeLost").contains("released from " + victim.name() + ": node lost");
        assertThat(berth("describe", "pod", replacement.pod()).out()).contains("Node:             " + replacement.node() + "\n")
                .contains("Scheduling:       placed on " + replacement.node() + ", best of 3 node(s); filtered out: 1 node not ready");
        Cli missing = berth("describe", "pod/nope");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("error: pod/nope not found");
    }

    @Test
    @Order(2)
    void drainMovesEveryPodOffTheNodeAndSaysSoOnceTheyRunElsewhere() {
        ClusterView before = view();
        String target = before.nodes().stream().map(n -> n.name).filter(n -> !before.podsOn(n).isEmpty()).findFirst().orElseThrow();
        List<String> evicted = before.podsOn(target).stream().map(p -> p.name).toList();

        Cli drain = berth("drain", target);

        assertThat(drain.code()).as(drain.err()).isZero();
        assertThat(drain.out()).startsWith("node/" + target + " cordoned; evicting " + evicted.size() + " pod")
                .endsWith("node/" + target + " drained\n");
        ClusterView after = view();
        assertThat(after.podsOn(target)).isEmpty();
        assertThat(after.readyPods("web")).isEqualTo(3);
        assertThat(bus.payloads(Topic.PODS, PodDeletionRequested.class)).filteredOn(d -> d.reason().equals("node " + target + " drained"))
                .extracting(PodDeletionRequested::pod).containsExactlyInAnyOrderElementsOf(evicted);
        assertThat(nodeLine(target)).contains("Ready,SchedulingDisabled");

        assertThat(berth("uncordon", target).out()).isEqualTo("node/" + target + " uncordoned\n");
        assertThat(nodeLine(target)).doesNotContain("SchedulingDisabled");
    }

    @Test
    @Order(3)
    void aCordonedNodeGetsNoNewPodsAndUnknownNodesAreRejected() {
        assertThat(berth("cordon", "node-1").out()).isEqualTo("node/node-1 cordoned\n");

        accept(new ApplyDeployment(Samples.deployment("api", 6)));

        List<ClusterView.PodRow> api = eventually(() -> ready("api"), pods -> pods.size() == 6);
        assertThat(api).extracting(p -> p.node).doesNotContain("node-1");
        Cli unknown = berth("cordon", "node-9");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("node 'node-9' not found; known nodes: node-1, node-2, node-3");
        assertThat(berth("uncordon", "node-1").code()).isZero();
    }

    @Test
    @Order(4)
    void aRestartedControllerDeclaresNoNodeNotReadyThatItHadNoTimeToHear() throws Exception {
        assertThat(berth("cordon", "node-2").code()).isZero();
        int lostBefore = bus.payloads(Topic.PODS, PodLost.class).size();
        // The whole cluster pauses for longer than the grace period, controller included.
        nodes.values().forEach(SimulatedNode::fail);
        TestBus.await(vertx.undeploy(controller));
        Thread.sleep(CONTROLLER.nodeGracePeriod().plusSeconds(1).toMillis());

        controller = deployController();
        Instant restarted = Instant.now();
        // The agents come back a second later: had the controller counted their silence from their
        // last heartbeat (long past the grace period), it would have declared them NotReady meanwhile.
        Thread.sleep(CONTROLLER.heartbeatInterval().toMillis());
        nodes.values().forEach(SimulatedNode::recover);
        Thread.sleep(CONTROLLER.nodeGracePeriod().plus(CONTROLLER.podEvictionDelay()).plusSeconds(1).toMillis());

        assertThat(bus.read(Topic.NODES)).filteredOn(e -> e.time().isAfter(restarted))
                .extracting(e -> ((NodeStatusChanged) e.data()).condition()).doesNotContain(NodeCondition.NotReady);
        assertThat(bus.payloads(Topic.PODS, PodLost.class)).hasSize(lostBefore);
        assertThat(berth("cordon", "node-2").out()).as("the cordon was rebuilt from berth.nodes")
                .isEqualTo("node/node-2 already cordoned\n");
        assertThat(berth("uncordon", "node-2").code()).isZero();
    }

    // ---- helpers ----

    record Keyed(String key, Envelope envelope) {}

    record Cli(int code, String out, String err) {}

    private static String deployController() throws Exception {
        return TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(), CONTROLLER)));
    }


    private static void accept(Command command) {
        assertThat(client.send(command, Duration.ofSeconds(30))).isInstanceOf(CommandAccepted.class);
    }

    private static ClusterView view() { return GetCommand.load(bus.config(), Instant.now()); }

    private static List<ClusterView.PodRow> ready(String deployment) {
        return view().pods().stream().filter(p -> deployment.equals(p.deployment) && p.isReady()).toList();
    }

    /** Pods of {@code deployment} some simulated node runs, counting a pod once per node. */
    private static List<String> runningEverywhere(String deployment) {
        List<String> pods = new ArrayList<>();
        nodes.values().forEach(n -> n.running().stream().filter(p -> p.startsWith(deployment + "-")).forEach(pods::add));
        assertThat(new HashSet<>(pods)).hasSameSizeAs(pods);
        return pods;
    }

    private static List<NodeStatusChanged> statuses(Predicate<NodeStatusChanged> match) {
        return bus.payloads(Topic.NODES, NodeStatusChanged.class).stream().filter(match).toList();
    }

    private static Envelope awaitEnvelope(Topic topic, Predicate<Envelope> match) {
        return eventually(() -> bus.read(topic).stream().filter(match).findFirst().orElse(null), e -> e != null);
    }

    private static <T> List<Keyed> keyed(Topic topic, Class<T> type, Predicate<T> match) {
        List<Keyed> out = new ArrayList<>();
        LogReader.readAll(bus.config(), List.of(topic), r -> {
            try {
                Envelope e = Json.decode(r.value());
                if (type.isInstance(e.data()) && match.test(type.cast(e.data()))) out.add(new Keyed(r.key(), e));
            } catch (Exception ignored) {
                // not ours
            }
        });
        return out;
    }

    private static <T> T eventually(java.util.concurrent.Callable<T> read, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            last.set(read.call());
            return done.test(last.get());
        });
        return last.get();
    }

    private static long millis(Instant from, Envelope to) { return Duration.between(from, to.time()).toMillis(); }

    private static String nodeLine(String node) {
        return berth("get", "nodes").out().lines().filter(l -> l.startsWith(node + " ")).findFirst().orElseThrow();
    }

    /** Runs the berth command line against the test broker, capturing what it prints. */
    private static Cli berth(String... args) {
        CliRun run = CliRun.berth(bus.config().bootstrapServers(), args);
        return new Cli(run.code(), run.out(), run.err());
    }
}
