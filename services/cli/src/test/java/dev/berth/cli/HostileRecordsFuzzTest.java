package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.testing.TestBus;
import dev.berth.cli.HostileRecords.Hostile;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerVerticle;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * For a bounded time, hostile records go to every Berth topic ({@link HostileRecords}: garbage,
 * truncated JSON, wrong types, missing fields, values up to ~900 KB, names no DNS label allows,
 * forged ids, payloads on the wrong topic) while a scenario applies, scales and deletes through the
 * ordinary command path. Afterwards: every service still runs, the pods are exactly the desired
 * pods, every valid command has exactly one answer, and every hostile record that a service
 * consumes live was set aside on berth.dead-letters (commands also answered with a rejection).
 *
 * <p>{@code -Dberth.fuzz.seconds=N} makes the run longer (default 20 s); {@code -Dberth.fuzz.seed}
 * repeats a run (the seed is printed).
 */
class HostileRecordsFuzzTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final long SECONDS = Long.getLong("berth.fuzz.seconds", 20);
    static final long SEED = Long.getLong("berth.fuzz.seed", System.nanoTime());
    /** Below the broker's default max.message.bytes (1 MiB) with the envelope around it. */
    static final int HUGE = 900 * 1024;
    /** Topics services follow live, and who sets their bad records aside. */
    static final Set<Topic> LIVE = Set.of(Topic.COMMANDS, Topic.PODS, Topic.NODES, Topic.PLACEMENTS, Topic.NODE_HEARTBEATS,
            Topic.POD_STATUS);

    static TestBus bus;
    static Vertx vertx;
    static final List<SimulatedNode> nodes = new ArrayList<>();
    static CommandClient client;

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        for (String n : List.of("node-1", "node-2", "node-3")) nodes.add(new SimulatedNode(bus.config(), n));
        vertx = Vertx.vertx();
        TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(),
                ControllerOptions.defaults().withResyncInterval(Duration.ofSeconds(2)))));
        TestBus.await(vertx.deployVerticle(new SchedulerVerticle(bus.config(), SchedulerOptions.defaults()
                .withRetryInterval(Duration.ofMillis(500)).withWarmUp(Duration.ofSeconds(1)))));
        client = new CommandClient(bus.config());
        Awaitility.await().atMost(WAIT).until(() -> bus.payloads(Topic.NODES, NodeStatusChanged.class).stream()
                .filter(s -> s.condition() == NodeCondition.Ready).map(NodeStatusChanged::node).distinct().count() == 3);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        nodes.forEach(SimulatedNode::close);
        if (bus != null) bus.close();
    }

    @Test
    void hostileRecordsOnEveryTopicAreSetAsideWhileTheClusterKeepsConverging() throws Exception {
        System.out.printf("fuzz: seed %d, %d s%n", SEED, SECONDS);
        Set<String> deployments = Set.copyOf(vertx.deploymentIDs());
        Map<String, Position> sent = new ConcurrentHashMap<>(); // position -> what was sent there
        AtomicBoolean fuzzing = new AtomicBoolean(true);
        Thread fuzzer = new Thread(() -> fuzz(sent, fuzzing), "fuzzer");
        fuzzer.start();

        // The scenario, through the ordinary command path, while the fuzzer runs.
        List<Envelope> valid = new ArrayList<>();
        long scenarioEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        valid.add(accept(new ApplyDeployment(spec("shop", 3))));
        valid.add(accept(new ApplyDeployment(spec("cart", 2))));
        valid.add(accept(new ScaleDeployment("shop", 5)));
        valid.add(accept(new ScaleDeployment("cart", 1)));
        valid.add(oddButValid(new ScaleDeployment("shop", 4), Instant.parse("1970-01-01T00:00:00Z")));
        valid.add(oddButValid(new ApplyDeployment(spec("batch", 2)), Instant.parse("9999-12-31T23:59:59Z")));
        valid.add(accept(new DeleteDeployment("cart")));
        while (System.nanoTime() < scenarioEnd) {
            valid.add(accept(new ScaleDeployment("batch", 1 + (valid.size() % 3))));
            Thread.sleep(500);
        }
        fuzzing.set(false);
        fuzzer.join();
        Instant fuzzEnded = Instant.now();
        valid.add(accept(new ScaleDeployment("batch", 3)));

        // Converged: shop 4 and batch 3, each pod on exactly one node, nothing of cart.
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> converged(Map.of("shop", 4, "batch", 3)));
        long convergedMs = Duration.between(fuzzEnded, Instant.now()).toMillis();

        assertThat(vertx.deploymentIDs()).as("every service still runs").containsAll(deployments);
        Map<String, Integer> answers = answersPerCommand();
        for (Envelope command : valid) assertThat(answers.get(command.id())).as("answers to %s", command.type()).isEqualTo(1);

        Map<Topic, Integer> sentPerTopic = new TreeMap<>();
        Map<Topic, Integer> setAsidePerTopic = new TreeMap<>();
        Set<String> deadLettered = deadLetteredPositions();
        List<String> missed = new ArrayList<>();
        for (Map.Entry<String, Position> e : sent.entrySet()) {
            Topic topic = e.getValue().topic();
            sentPerTopic.merge(topic, 1, Integer::sum);
            if (deadLettered.contains(e.getKey())) setAsidePerTopic.merge(topic, 1, Integer::sum);
            else if (LIVE.contains(topic)) missed.add(e.getKey() + " " + e.getValue().kind());
        }
        System.out.printf("fuzz: sent %s; set aside %s; services alive %d/%d; converged %d ms after the fuzzing stopped%n",
                sentPerTopic, setAsidePerTopic, deployments.size(), deployments.size(), convergedMs);
        assertThat(missed).as("hostile records on live topics that no consumer set aside").isEmpty();
        assertThat(rejections()).as("hostile commands are answered by a rejection, not accepted")
                .hasSizeGreaterThanOrEqualTo((int) sent.values().stream().filter(p -> p.topic() == Topic.COMMANDS
                        && p.kind() != HostileRecords.Kind.GARBAGE).count());
    }

    // ---- the fuzzer ----

    record Position(Topic topic, HostileRecords.Kind kind) {}

    private static void fuzz(Map<String, Position> sent, AtomicBoolean fuzzing) {
        HostileRecords hostile = new HostileRecords(SEED, HUGE);
        var config = bus.config().producer("fuzzer");
        config.put("max.request.size", String.valueOf(HUGE + 64 * 1024));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(bus.config().props(config))) {
            List<Hostile> queue = new ArrayList<>(hostile.everyKindOnce());
            int huge = 0;
            while (fuzzing.get() || !queue.isEmpty()) {
                Hostile h = queue.isEmpty() ? hostile.next(hostile.pick(HostileRecords.topics()), hostile.kind()) : queue.remove(0);
                if (h.kind() == HostileRecords.Kind.HUGE && ++huge > 40) continue; // bounded: ~36 MB in all
                try {
                    RecordMetadata at = producer.send(new ProducerRecord<>(h.topic().topicName(), h.key(), h.value()))
                            .get(10, TimeUnit.SECONDS);
                    sent.put(at.topic() + "-" + at.partition() + "@" + at.offset(), new Position(h.topic(), h.kind()));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot send a hostile record: " + e, e);
                }
                if (!fuzzing.get() && queue.isEmpty()) break;
                sleep(20);
            }
        }
    }

    // ---- the scenario ----

    private static DeploymentSpec spec(String name, int replicas) {
        PodTemplate t = Samples.template();
        return new DeploymentSpec(name, replicas, new PodTemplate(t.image(), t.command(), t.args(), t.env(),
                new Resources(100, 32 * Samples.MI), t.restartPolicy(), t.terminationGracePeriodSeconds()));
    }

    private static Envelope accept(Command command) {
        Envelope env = Envelope.command(command, "fuzz-scenario", Instant.now());
        Event answer = client.send(env, Duration.ofSeconds(30));
        assertThat(answer).as("answer to %s", command).isInstanceOf(CommandAccepted.class);
        return env;
    }

    /** A valid command with a client clock far off: answered like any other. */
    private static Envelope oddButValid(Command command, Instant clientTime) {
        Envelope env = Envelope.command(command, "fuzz-scenario \u2693", clientTime);
        assertThat(client.send(env, Duration.ofSeconds(30))).isInstanceOf(CommandAccepted.class);
        return env;
    }

    private static boolean converged(Map<String, Integer> desired) {
        Map<String, Integer> running = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (SimulatedNode n : nodes) {
            for (String pod : n.running()) {
                copies.merge(pod, 1, Integer::sum);
                running.merge(pod.substring(0, pod.lastIndexOf('-')), 1, Integer::sum);
            }
        }
        return running.equals(desired) && copies.values().stream().allMatch(c -> c == 1);
    }

    private static Map<String, Integer> answersPerCommand() {
        Map<String, Integer> answers = new LinkedHashMap<>();
        LogReader.readAll(bus.config(), List.of(Topic.COMMAND_RESULTS), r -> answers.merge(r.key(), 1, Integer::sum));
        return answers;
    }

    private static List<CommandRejected> rejections() { return bus.payloads(Topic.COMMAND_RESULTS, CommandRejected.class); }

    /** Source positions of what consumers set aside ({@code topic-partition@offset}). */
    private static Set<String> deadLetteredPositions() {
        ObjectMapper mapper = new ObjectMapper();
        Set<String> positions = ConcurrentHashMap.newKeySet();
        LogReader.readAll(bus.config(), List.of(Topic.DEAD_LETTERS), r -> {
            try {
                JsonNode n = mapper.readTree(r.value());
                JsonNode src = n.has("source") ? n.get("source") : n;
                positions.add(src.get("topic").asText() + "-" + src.get("partition").asInt() + "@" + src.get("offset").asLong());
                assertThat(r.value().length()).as("a dead letter carries an excerpt, not the whole record").isLessThan(16 * 1024);
            } catch (Exception e) {
                throw new IllegalStateException("unreadable dead letter: " + e, e);
            }
        });
        return positions;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
