package dev.berth.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import dev.berth.bus.contract.PodTemplate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The controller verticle on a real broker, driven and observed only through topics. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ControllerOptions FAST_RESYNC = ControllerOptions.defaults().withResyncInterval(Duration.ofSeconds(1));

    private static TestBus bus;
    private static Vertx vertx;
    private static String deploymentId;

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        NodeResources res = new NodeResources(4000, 8192 * Samples.MI, 110);
        bus.send(Topic.NODE_HEARTBEATS, "node-1",
                new NodeHeartbeat("node-1", res, res, List.of("busybox"), List.of(), 1, Instant.now()));
        deploymentId = deploy();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    @Test
    @Order(1)
    void acceptsADeploymentAndCreatesItsPods() {
        Envelope apply = bus.sendCommand(new ApplyDeployment(Samples.deployment("web", 3)));

        assertThat(accepted(apply).message()).isEqualTo("deployment web created: 3 replicas");
        Awaitility.await().atMost(WAIT).until(() -> podsCreated("web").size() == 3);
        assertThat(podsCreated("web")).extracting(PodCreated::pod).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches("web-[a-z0-9]{5}"));
        // Every pod descends from the command: its whole history can be followed by correlation id.
        assertThat(bus.read(Topic.PODS)).allSatisfy(env -> assertThat(env.correlationId()).isEqualTo(apply.id()));
    }

    @Test
    @Order(2)
    void scalesDownByRequestingDeletionOfTheExtras() {
        Envelope scale = bus.sendCommand(new ScaleDeployment("web", 1));

        assertThat(accepted(scale).message()).isEqualTo("deployment web scaled from 3 to 1");
        Awaitility.await().atMost(WAIT).until(() -> deletionsRequested("web").size() == 2);
        assertThat(deletionsRequested("web")).allSatisfy(d -> assertThat(d.reason()).isEqualTo("scaled down to 1 replica"));
    }

    @Test
    @Order(3)
    void answersEveryBadRecordAndKeepsServing() {
        bus.send(Topic.COMMANDS, "web", "\u0000\u0001\u00ffgarbage");
        CommandRejected garbage = rejection(r -> r.commandId().startsWith("berth.commands-") && r.reason().startsWith("not valid JSON"));
        assertThat(garbage.target()).isEqualTo("web");

        bus.send(Topic.COMMANDS, "web", "[1,2]");
        rejection(r -> r.commandId().startsWith("berth.commands-") && r.reason().startsWith("not a JSON object"));

        bus.send(Topic.COMMANDS, "web", """
                {"id":"schema-bad-1","type":"ApplyDeployment","version":1,"time":"2026-03-01T10:00:00Z","source":"kcat",
                 "data":{"deployment":{"name":"web","replicas":"three","template":{"image":"busybox","resources":{"cpuMillis":100,"memoryBytes":67108864}}}}}""");
        CommandRejected schema = rejection(r -> r.commandId().equals("schema-bad-1"));
        assertThat(schema.reason()).isEqualTo("ApplyDeployment does not match its schema");
        assertThat(schema.problems()).anySatisfy(p -> assertThat(p).startsWith("/data/deployment/replicas"));

        // Names and counts are limits of the schema: refused before any rule is asked.
        Envelope badName = bus.sendCommand(new ApplyDeployment(new DeploymentSpec("Bad_Name", 20_000, Samples.template())));
        CommandRejected limits = rejection(r -> r.commandId().equals(badName.id()));
        assertThat(limits.reason()).isEqualTo("ApplyDeployment does not match its schema");
        assertThat(limits.problems()).anySatisfy(p -> assertThat(p).startsWith("/data/deployment/name"))
                .anySatisfy(p -> assertThat(p).startsWith("/data/deployment/replicas"));

        // What the schema allows but the rules do not is answered in the rules' words.
        String longName = "a".repeat(60);
        Envelope meaningless = bus.sendCommand(new ApplyDeployment(new DeploymentSpec(longName, 2,
                new PodTemplate("Nginx", List.of(), List.of(), Map.of(), Samples.template().resources(), "Always", 10))));
        CommandRejected meaning = rejection(r -> r.commandId().equals(meaningless.id()));
        assertThat(meaning.problems()).containsExactly(
                "name '" + longName + "' is 60 characters long; at most 57 are allowed because pod names add 6 and must stay within 63",
                "invalid image reference \"Nginx\": repository name must be lowercase");
        assertThat(meaning.reason()).startsWith("deployment '" + longName + "' has 2 problems: ");

        Envelope delete = bus.sendCommand(new DeleteDeployment("web"));
        assertThat(accepted(delete).message()).isEqualTo("deployment web deleted: 1 pod will be stopped");
        Awaitility.await().atMost(WAIT).until(() -> deletionsRequested("web").size() == 3);
        assertThat(bus.payloads(Topic.COMMAND_RESULTS, CommandRejected.class)).hasSize(5);
    }

    @Test
    @Order(4)
    void rebuildsItsStateAfterARestart() throws Exception {
        Envelope apply = bus.sendCommand(new ApplyDeployment(Samples.deployment("api", 2)));
        assertThat(accepted(apply).message()).isEqualTo("deployment api created: 2 replicas");
        Awaitility.await().atMost(WAIT).until(() -> podsCreated("api").size() == 2);

        TestBus.await(vertx.undeploy(deploymentId));
        deploymentId = deploy();

        Envelope scale = bus.sendCommand(new ScaleDeployment("api", 3));
        assertThat(accepted(scale).message()).isEqualTo("deployment api scaled from 2 to 3");
        Awaitility.await().atMost(WAIT).until(() -> podsCreated("api").size() == 3);

        // The same command delivered again: the same answer, nothing decided twice.
        bus.send(Topic.COMMANDS, "api", Json.encode(scale));
        Awaitility.await().atMost(WAIT).until(() -> answersTo(scale.id()) == 2);
        assertThat(bus.payloads(Topic.COMMAND_RESULTS, CommandAccepted.class).stream()
                .filter(a -> a.commandId().equals(scale.id())).map(CommandAccepted::message).distinct())
                .containsExactly("deployment api scaled from 2 to 3");

        // Several resyncs later nothing has been doubled or re-requested.
        Thread.sleep(3_000);
        assertThat(podsCreated("api")).hasSize(3).extracting(PodCreated::pod).doesNotHaveDuplicates();
        assertThat(podsCreated("web")).hasSize(3);
        assertThat(deletionsRequested("api")).isEmpty();
        assertThat(deletionsRequested("web")).hasSize(3);
    }

    @Test
    @Order(5)
    void setsAsideUnreadableNodeReportsAndGoesOn() {
        bus.send(Topic.POD_STATUS, "api-zzzzz", "{not an envelope");

        Awaitility.await().atMost(WAIT).until(() -> deadLetters().stream()
                .anyMatch(r -> "berth.pod-status".equals(r.key()) && r.value().contains("\"consumer\":\"controller\"")));
        Envelope scale = bus.sendCommand(new ScaleDeployment("api", 2));
        assertThat(accepted(scale).message()).isEqualTo("deployment api scaled from 3 to 2");
    }

    /**
     * The reproduction: one 400 KB command used to leave the controller retrying one oversized
     * answer forever. Now it gets a short rejection named by its id, is set aside, and the next
     * command is answered; a placement without a template is set aside too.
     */
    @Test
    @Order(6)
    void aHugeCommandGetsAShortAnswerAndTheNextOneIsServed() {
        String huge = "{\"id\":\"huge-1\",\"type\":\"ScaleDeployment\",\"version\":1,\"time\":\"2026-03-01T10:00:00Z\","
                + "\"source\":\"kcat\",\"data\":{\"name\":\"" + "a".repeat(400_000) + "\",\"replicas\":1}}";
        bus.send(Topic.COMMANDS, "api", huge);
        bus.send(Topic.PLACEMENTS, "node-1", "{\"id\":\"p-1\",\"type\":\"PodPlaced\",\"version\":1,\"time\":\"2026-03-01T10:00:00Z\","
                + "\"source\":\"forged\",\"data\":{\"pod\":\"api-zzzzz\",\"node\":\"node-1\",\"deployment\":\"api\"}}");
        Envelope next = bus.sendCommand(new ScaleDeployment("api", 1));

        CommandRejected rejected = rejection(r -> r.commandId().equals("huge-1"));
        assertThat(rejected.reason()).startsWith("record too large");
        assertThat(Json.write(rejected).length()).isLessThan(2048);
        assertThat(accepted(next).message()).isEqualTo("deployment api scaled from 2 to 1");
        Awaitility.await().atMost(WAIT).until(() -> deadLetters().stream().anyMatch(r -> "berth.placements".equals(r.key())
                && r.value().contains("/data/template: is required")));
        assertThat(deadLetters()).allSatisfy(r -> assertThat(r.value().length()).isLessThan(4096));
    }

    // ---- helpers ----

    private static List<RawRecord> deadLetters() {
        List<RawRecord> records = new ArrayList<>();
        LogReader.readAll(bus.config(), List.of(Topic.DEAD_LETTERS), records::add);
        return records;
    }

    private static String deploy() throws Exception {
        return TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(), FAST_RESYNC)));
    }


    private static CommandAccepted accepted(Envelope command) {
        return bus.await(Topic.COMMAND_RESULTS, CommandAccepted.class, a -> a.commandId().equals(command.id()), WAIT);
    }

    private static CommandRejected rejection(java.util.function.Predicate<CommandRejected> match) {
        return bus.await(Topic.COMMAND_RESULTS, CommandRejected.class, match, WAIT);
    }

    private static long answersTo(String commandId) {
        return bus.read(Topic.COMMAND_RESULTS).stream()
                .filter(env -> env.data() instanceof CommandAccepted a && a.commandId().equals(commandId)).count();
    }

    private static List<PodCreated> podsCreated(String deployment) {
        return bus.payloads(Topic.PODS, PodCreated.class).stream().filter(p -> p.deployment().equals(deployment)).toList();
    }

    private static List<PodDeletionRequested> deletionsRequested(String deployment) {
        return bus.payloads(Topic.PODS, PodDeletionRequested.class).stream().filter(p -> p.deployment().equals(deployment)).toList();
    }
}
