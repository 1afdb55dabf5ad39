package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.testing.TestBus;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away for 20 s in the middle of a 200-pod scenario and comes back on the same port
 * and log: the same controller, scheduler and nodes carry on — nothing restarted by hand — and the
 * cluster converges with every pod created, placed and run exactly once, no pod lost, and every
 * command answered once.
 */
class BrokerOutageIntegrationTest {
    static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("berth.outage.seconds", 20));
    static final Duration WAIT = Duration.ofSeconds(120);

    static Path dataDir;
    static int port;
    static EmbeddedKafka kafka;
    static BusConfig bus;
    static Vertx vertx;
    static final List<SimulatedNode> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("berth-outage-");
        kafka = EmbeddedKafka.start(dataDir, 0);
        port = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
        bus = new BusConfig(kafka.bootstrapServers());
        TopicAdmin.ensureTopics(bus);
        for (String n : List.of("node-1", "node-2", "node-3")) nodes.add(new SimulatedNode(bus, n));
        vertx = Vertx.vertx();
        TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus, ControllerOptions.defaults()
                .withResyncInterval(Duration.ofSeconds(2)))));
        TestBus.await(vertx.deployVerticle(new SchedulerVerticle(bus, SchedulerOptions.defaults()
                .withRetryInterval(Duration.ofMillis(500)).withWarmUp(Duration.ofSeconds(1)))));
        Awaitility.await().atMost(WAIT).until(() -> readyNodes() == 3);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        nodes.forEach(SimulatedNode::close);
        if (kafka != null) kafka.close();
        if (dataDir != null) try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aTwentySecondBrokerOutageMidScenarioLosesAndDoublesNothing() throws Exception {
        Set<String> services = Set.copyOf(vertx.deploymentIDs());
        CommandClient client = new CommandClient(bus);
        List<Envelope> commands = new ArrayList<>();
        commands.add(send(client, new ApplyDeployment(spec("bulk", 150))));
        // Mid-scenario: some of the pods are placed, the rest are not yet.
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> runningPods() > 0);
        int before = runningPods();

        kafka.close();
        Instant down = Instant.now();
        Thread.sleep(OUTAGE.toMillis());
        kafka = EmbeddedKafka.start(dataDir, port);
        Duration outage = Duration.between(down, Instant.now());

        commands.add(send(client, new ApplyDeployment(spec("late", 50))));
        commands.add(send(client, new ScaleDeployment("bulk", 150)));
        Instant back = Instant.now();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> running().equals(Map.of("bulk", 150, "late", 50)));
        long convergedMs = Duration.between(back, Instant.now()).toMillis();

        assertThat(vertx.deploymentIDs()).as("no service needed a restart").containsAll(services);
        Map<String, Integer> created = countBy(Topic.PODS, PodCreated.class, PodCreated::pod);
        Map<String, Integer> placed = countBy(Topic.PLACEMENTS, PodPlaced.class, PodPlaced::pod);
        assertThat(created).as("pods created").hasSize(200).allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1));
        assertThat(placed).as("pods placed").hasSize(200).allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1));
        assertThat(new TestBusReader().payloads(Topic.PODS, PodLost.class)).as("no pod lost to the outage").isEmpty();
        Map<String, Integer> answers = new HashMap<>();
        LogReader.readAll(bus, List.of(Topic.COMMAND_RESULTS), r -> answers.merge(r.key(), 1, Integer::sum));
        for (Envelope c : commands) assertThat(answers.get(c.id())).as("answers to " + c.type()).isEqualTo(1);
        System.out.printf("broker outage: %d of 150 pods running before, broker down %d ms, converged %d ms after it returned,"
                + " 200 pods created once, placed once, 0 lost, %d commands answered once%n",
                before, outage.toMillis(), convergedMs, commands.size());
    }

    private static Envelope send(CommandClient client, dev.berth.bus.contract.Command command) {
        Envelope env = Envelope.command(command, "outage-test", Instant.now());
        assertThat(client.send(env, WAIT)).isInstanceOf(CommandAccepted.class);
        return env;
    }

    private static DeploymentSpec spec(String name, int replicas) {
        PodTemplate t = Samples.template();
        return new DeploymentSpec(name, replicas, new PodTemplate(t.image(), t.command(), t.args(), t.env(),
                new Resources(10, 16 * Samples.MI), t.restartPolicy(), t.terminationGracePeriodSeconds()));
    }

    private static long readyNodes() {
        return new TestBusReader().payloads(Topic.NODES, NodeStatusChanged.class).stream()
                .filter(s -> s.condition() == NodeCondition.Ready).map(NodeStatusChanged::node).distinct().count();
    }

    private static int runningPods() { return nodes.stream().mapToInt(n -> n.running().size()).sum(); }

    /** Running pods per deployment; a pod on two nodes counts twice, so doubles show. */
    private static Map<String, Integer> running() {
        Map<String, Integer> perDeployment = new LinkedHashMap<>();
        for (SimulatedNode n : nodes) for (String pod : n.running()) perDeployment.merge(pod.substring(0, pod.lastIndexOf('-')), 1, Integer::sum);
        return perDeployment;
    }

    private static <T> Map<String, Integer> countBy(Topic topic, Class<T> type, java.util.function.Function<T, String> key) {
        Map<String, Integer> counts = new HashMap<>();
        for (T t : new TestBusReader().payloads(topic, type)) counts.merge(key.apply(t), 1, Integer::sum);
        return counts;
    }

    /** Reads the current broker's log (the broker object changes across the outage). */
    private static final class TestBusReader {
        <T> List<T> payloads(Topic topic, Class<T> type) {
            return LogReader.readEnvelopes(bus, List.of(topic)).stream().map(Envelope::data).filter(type::isInstance)
                    .map(type::cast).toList();
        }
    }
}
