package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.ServiceLoop.Received;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@link ServiceLoop} against a real broker: every kind of bad record is set aside with a bounded
 * excerpt, its offset commits, and the next record is processed; a fenced loop stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SuppressWarnings("unchecked")
class ServiceLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestBus bus;
    private static Vertx vertx;
    private ServiceLoop<Integer> loop;

    /**
     * Counts what it took; a command is answered with an acceptance, a pod status with a release on
     * berth.placements (pod "boom" makes it throw).
     */
    static class EchoCore implements ServiceLoop.Core<Integer> {
        @Override
        public Decision<Integer> onRecord(Integer state, Received in) {
            if (in.payload() instanceof Command c) {
                return Decision.of(state + 1, List.of(new Outbound(Topic.COMMAND_RESULTS, in.envelope().id(),
                        new CommandAccepted(in.envelope().id(), in.envelope().type(), c.target(), "seen"), Cause.of(in.envelope()), null)));
            }
            PodStatusChanged s = (PodStatusChanged) in.payload();
            if (s.pod().equals("boom")) throw new IllegalStateException("the core cannot take " + s.pod());
            return Decision.of(state + 1, List.of(new Outbound(Topic.PLACEMENTS, s.node(), new PodReleased(s.pod(), s.node(), "echo"))
                    .causedBy(Cause.of(in.envelope()))));
        }
    }

    @BeforeAll
    static void start() {
        bus = TestBus.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    @AfterEach
    void stopLoop() throws Exception {
        if (loop != null) TestBus.await(vertx.getOrCreateContext().<Void>executeBlocking(() -> null).compose(v -> loop.stop()));
    }

    private ServiceLoop<Integer> startLoop(String transactionalId, Runnable onFenced) throws Exception {
        TransactionalPublisher tx = TestBus.await(TransactionalPublisher.create(vertx, bus.config(), transactionalId));
        return TestBus.await(vertx.getOrCreateContext().<ServiceLoop<Integer>>executeBlocking(() -> null).map(v ->
                ServiceLoop.builder(vertx, bus.config(), "echo", new EchoCore(), 0)
                        .transactional(tx)
                        .limits(RecordLimits.defaults().with(Topic.POD_STATUS, 4096))
                        .source(new ServiceLoop.Source("commands", List.of(Topic.COMMANDS),
                                new LogTail.Start.TransactionalGroup(transactionalId + "-group"), Set.of()))
                        .source(new ServiceLoop.Source("statuses", List.of(Topic.POD_STATUS),
                                new LogTail.Start.FromOffsets(Map.of()), Set.of(PodStatusChanged.class)))
                        .onFenced(onFenced)
                        .start()));
    }

    private static PodStatusChanged running(String pod) {
        return new PodStatusChanged(pod, "node-1", ContainerState.Running, null, null, null, 0);
    }

    @Test
    @Order(1)
    void setsAsideEveryKindOfBadRecordAndGoesOn() throws Exception {
        loop = startLoop("echo-1", () -> {});
        String huge = "{\"id\":\"big-1\",\"type\":\"DeleteDeployment\",\"data\":{\"name\":\"" + "x".repeat(400 * 1024) + "\"}}";
        bus.send(Topic.COMMANDS, "web", huge);                                          // over the 64 KiB door
        bus.send(Topic.COMMANDS, "web", "\u0000\u0001\u00ff garbage \u0007".repeat(2000)); // garbage bytes
        bus.send(Topic.COMMANDS, "web", "{\"id\":\"cut-1\",\"type\":\"DeleteDeploy");       // truncated JSON
        bus.send(Topic.COMMANDS, "web", "{\"id\":\"bad-1\",\"type\":\"DeleteDeployment\",\"version\":1,"
                + "\"time\":\"2026-01-01T00:00:00Z\",\"source\":\"t\",\"data\":{\"name\":42}}"); // schema-invalid
        Envelope good = bus.sendCommand(new DeleteDeployment("web"));

        bus.send(Topic.POD_STATUS, "p", "y".repeat(8000));                               // over a configured internal limit
        bus.send(Topic.POD_STATUS, "p", Json.encode(Envelope.spontaneous(
                new PodStatusChanged("Not_A_Label", "node-1", ContainerState.Running, null, null, null, 0), "t", Instant.now()))); // invalid
        bus.send(Topic.POD_STATUS, "p", Json.encode(Envelope.spontaneous(new PodStatusChanged("p", "node-1", null, null, null, null, 0),
                "t", Instant.now())));                                                   // missing field
        bus.send(Topic.POD_STATUS, "boom", running("boom"));                             // the core throws
        bus.send(Topic.POD_STATUS, "p", Json.encode(Envelope.spontaneous(new DeleteDeployment("x"), "t", Instant.now()))); // wrong type
        bus.send(Topic.POD_STATUS, "p-ok", running("p-ok"));

        Awaitility.await().atMost(WAIT).until(() -> deadLetters().size() >= 9);
        List<DeadLetter> letters = deadLetters();
        assertThat(letters).hasSize(9).allSatisfy(l -> {
            assertThat(l.consumer()).isEqualTo("echo");
            assertThat(l.toJson().length()).isLessThanOrEqualTo(4 * 1024);
            assertThat(l.excerpt().length()).isLessThanOrEqualTo(Excerpt.DEAD_LETTER_CHARS);
            assertThat(l.offset()).isGreaterThanOrEqualTo(0);
            assertThat(Schemas.instance().problems("DeadLetter.json", new io.vertx.core.json.JsonObject(l.toJson()))).isEmpty();
        });
        assertThat(letters).extracting(DeadLetter::reason).anySatisfy(r -> assertThat(r).startsWith("record too large: 4096"))
                .anySatisfy(r -> assertThat(r).startsWith("record too large"))
                .anySatisfy(r -> assertThat(r).startsWith("not valid JSON"))
                .anySatisfy(r -> assertThat(r).contains("does not match its schema"))
                .anySatisfy(r -> assertThat(r).contains("is not a DNS-1123 label"))
                .anySatisfy(r -> assertThat(r).contains("/data/state: is required"))
                .anySatisfy(r -> assertThat(r).contains("could not be processed"))
                .anySatisfy(r -> assertThat(r).startsWith("unexpected DeleteDeployment on berth.pod-status"));
        DeadLetter oversized = letters.stream().filter(l -> l.size() > 400 * 1024).findFirst().orElseThrow();
        assertThat(oversized.truncated()).isTrue();

        // The good records after the bad ones were processed, and answered once.
        Awaitility.await().atMost(WAIT).until(() -> bus.payloads(Topic.PLACEMENTS, PodReleased.class).size() == 1);
        Awaitility.await().atMost(WAIT).until(() -> answersTo(good.id()) == 1);
        List<Envelope> releases = bus.read(Topic.PLACEMENTS);
        assertThat(releases.get(0).causationId()).isNotNull();
        assertThat(releases.get(0).correlationId()).isEqualTo(releases.get(0).causationId());

        // Every command offset committed with the unit, the bad ones' too.
        Awaitility.await().atMost(WAIT).until(() -> committedCommands("echo-1-group") == 5);
    }

    @Test
    @Order(2)
    void aFencedLoopStopsCleanly() throws Exception {
        AtomicBoolean fenced = new AtomicBoolean();
        loop = startLoop("echo-2", () -> fenced.set(true));
        // A newer instance with the same transactional id takes over.
        TransactionalPublisher newer = TestBus.await(TransactionalPublisher.create(vertx, bus.config(), "echo-2"));
        try {
            bus.send(Topic.POD_STATUS, "p-fenced", running("p-fenced"));
            Awaitility.await().atMost(WAIT).untilTrue(fenced);
            assertThat(loop.fenced()).isTrue();
            assertThat(bus.payloads(Topic.PLACEMENTS, PodReleased.class)).noneMatch(r -> r.pod().equals("p-fenced"));
        } finally {
            TestBus.await(newer.close());
        }
    }

    /**
     * The node agent's mode: an idempotent producer, ticks and the shell's own inputs in the same
     * queue as records, with {@code now} as data, and effects run by the shell after their records.
     */
    @Test
    @Order(3)
    void runsIdempotentlyWithTicksSubmittedInputsAndEffects() throws Exception {
        List<Object> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        EchoCore core = new EchoCore() {
            @Override
            public Decision<Integer> onInput(Integer state, Object input, Instant now) {
                if (input.equals("tick")) {
                    return Decision.of(state, List.of(new Outbound(Topic.PLACEMENTS, "node-9", new PodReleased("tick-" + state, "node-9", "tick"))))
                            .withFollowUp(state < 2 ? "again" : null);
                }
                if (input.equals("again")) return Decision.unchanged(state + 1);
                return new Decision<>(state, List.of(), List.of("effect of " + input + " at " + now), null);
            }
        };
        Publisher publisher = Publisher.create(vertx, bus.config(), "echo-idem");
        ServiceLoop<Integer>[] started = new ServiceLoop[1];
        TestBus.await(vertx.getOrCreateContext().<Void>executeBlocking(() -> null).map(v -> {
            started[0] = ServiceLoop.builder(vertx, bus.config(), "echo-idem", core, 0)
                    .idempotent(publisher)
                    .source(new ServiceLoop.Source("statuses", List.of(Topic.POD_STATUS),
                            new LogTail.Start.FromOffsets(Map.of()), Set.of(PodStatusChanged.class)))
                    .every(Duration.ofMillis(300), () -> "tick")
                    .effects(ran::addAll)
                    .start();
            return null;
        }));
        loop = started[0];
        TestBus.await(vertx.getOrCreateContext().<Void>executeBlocking(() -> null).compose(v -> loop.submit("container exited")));
        Awaitility.await().atMost(WAIT).until(() -> bus.payloads(Topic.PLACEMENTS, PodReleased.class).stream()
                .anyMatch(r -> r.pod().equals("tick-2")));
        assertThat(ran).anySatisfy(e -> assertThat(e.toString()).startsWith("effect of container exited at "));
        // The records before were read again from the start by this loop: answered, bad ones set aside again.
        Awaitility.await().atMost(WAIT).until(() -> bus.payloads(Topic.PLACEMENTS, PodReleased.class).stream()
                .filter(r -> r.pod().equals("p-ok")).count() >= 2);
    }

    private static List<DeadLetter> deadLetters() {
        List<DeadLetter> letters = new ArrayList<>();
        LogReader.readAll(bus.config(), List.of(Topic.DEAD_LETTERS), r -> {
            try {
                letters.add(DeadLetter.fromJson(r.value()));
            } catch (Exception e) {
                throw new AssertionError("a dead letter that is not a DeadLetter: " + r.value(), e);
            }
        });
        return letters;
    }

    private static long answersTo(String commandId) {
        return bus.payloads(Topic.COMMAND_RESULTS, CommandAccepted.class).stream().filter(a -> a.commandId().equals(commandId)).count();
    }

    private static long committedCommands(String group) throws Exception {
        try (Admin admin = Admin.create(bus.config().props(Map.of("bootstrap.servers", bus.config().bootstrapServers())))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }
}
