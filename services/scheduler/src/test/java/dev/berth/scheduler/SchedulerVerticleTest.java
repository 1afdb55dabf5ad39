package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler service against a real broker: it is driven and judged only through topics. */
class SchedulerVerticleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final NodeResources NODE = new NodeResources(2000, 1024 * Samples.MI, 10);
    private static final Instant STARTED = Instant.now();

    private static TestBus bus;
    private static Vertx vertx;
    private static ScheduledExecutorService agents;

    /** A placement or release as it sits on berth.placements: its record key and what it says. */
    record Placement(String key, Envelope envelope) {
        String pod() {
            return envelope.data() instanceof PodPlaced p ? p.pod() : ((PodReleased) envelope.data()).pod();
        }

        String node() {
            return envelope.data() instanceof PodPlaced p ? p.node() : ((PodReleased) envelope.data()).node();
        }
    }

    @BeforeAll
    static void start() {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        agents = Executors.newSingleThreadScheduledExecutor();
        long[] sequence = {0};
        agents.scheduleAtFixedRate(() -> {
            sequence[0]++;
            for (String node : List.of("node-1", "node-2")) {
                bus.send(Topic.NODE_HEARTBEATS, node,
                        new NodeHeartbeat(node, NODE, NODE, List.of("busybox"), List.of(), sequence[0], STARTED));
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        agents.shutdownNow();
        TestBus.await(vertx.close());
        bus.close();
    }

    private static String deploy() throws Exception {
        SchedulerOptions options = SchedulerOptions.defaults().withRetryInterval(Duration.ofMillis(500));
        return TestBus.await(vertx.deployVerticle(new SchedulerVerticle(bus.config(), options)));
    }

    private static void undeploy(String id) throws Exception {
        TestBus.await(vertx.undeploy(id));
    }

    /** Sends a pod intent as the controller would; returns its envelope (its id is the cause to expect). */
    private static Envelope send(String pod, Event intent) {
        Envelope env = Envelope.spontaneous(intent, "controller", Instant.now());
        bus.send(Topic.PODS, pod, Json.encode(env));
        return env;
    }

    private static Envelope create(String pod, PodTemplate template) {
        return send(pod, new PodCreated(pod, "web", 1, template));
    }

    private static List<Placement> placements() {
        List<Placement> out = new ArrayList<>();
        LogReader.readAll(bus.config(), List.of(Topic.PLACEMENTS), r -> out.add(new Placement(r.key(), decode(r))));
        return out;
    }

    private static List<Placement> placed() {
        return placements().stream().filter(p -> p.envelope().data() instanceof PodPlaced).toList();
    }

    private static List<Placement> releases() {
        return placements().stream().filter(p -> p.envelope().data() instanceof PodReleased).toList();
    }

    private static Envelope decode(RawRecord r) {
        try {
            return Json.decode(r.value());
        } catch (Exception e) {
            throw new AssertionError("the scheduler wrote an undecodable record at " + r.position(), e);
        }
    }

    /** Reads until {@code done} holds; returns the last read. */
    private static <T> T eventually(Callable<T> read, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
            last.set(read.call());
            return done.test(last.get());
        });
        return last.get();
    }

    private static List<JsonNode> deadLetters() {
        List<JsonNode> out = new ArrayList<>();
        LogReader.readAll(bus.config(), List.of(Topic.DEAD_LETTERS), r -> {
            try {
                out.add(Json.parse(r.value()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return out;
    }

    @Test
    void placesSpreadsExplainsReleasesAndSurvivesARestart() throws Exception {
        String deployment = deploy();
        Map<String, Envelope> creations = new HashMap<>();
        for (String pod : List.of("web-1", "web-2", "web-3", "web-4")) creations.put(pod, create(pod, Samples.template()));

        List<Placement> four = eventually(SchedulerVerticleTest::placed, p -> p.size() >= 4);

        assertThat(four).hasSize(4);
        assertThat(four).allSatisfy(p -> assertThat(p.key()).as("keyed by node").isEqualTo(p.node()));
        assertThat(four.stream().collect(Collectors.groupingBy(Placement::node, Collectors.counting())))
                .isEqualTo(Map.of("node-1", 2L, "node-2", 2L));
        for (Placement p : four) {
            PodPlaced event = (PodPlaced) p.envelope().data();
            assertThat(event.nodesConsidered()).isEqualTo(2);
            assertThat(event.topCandidates()).isNotEmpty();
            assertThat(event.topCandidates().get(0).node()).isEqualTo(event.node());
            assertThat(event.topCandidates().get(0).scores()).containsKey("LeastAllocated");
            assertThat(p.envelope().causationId()).as("caused by its creation, though a retry placed it")
                    .isEqualTo(creations.get(event.pod()).id());
            assertThat(p.envelope().source()).isEqualTo("scheduler");
        }

        create("huge", new PodTemplate("busybox", List.of("sleep", "1"), List.of(), Map.of(),
                new Resources(8000, 64 * Samples.MI), "Always", 10));
        PodUnschedulable refused = bus.await(Topic.SCHEDULING, PodUnschedulable.class, u -> u.pod().equals("huge"), WAIT);
        assertThat(refused.message()).isEqualTo("0/2 nodes available: 2 Insufficient cpu.");
        assertThat(refused.filtered()).isEqualTo(Map.of("Insufficient cpu", 2));

        bus.send(Topic.PODS, "garbage", "{not json");
        JsonNode deadLetter = eventually(SchedulerVerticleTest::deadLetters, d -> !d.isEmpty()).get(0);
        assertThat(deadLetter.path("topic").asText()).isEqualTo("berth.pods");
        assertThat(deadLetter.path("consumer").asText()).isEqualTo("scheduler");
        assertThat(deadLetter.path("reason").asText()).startsWith("not valid JSON");
        // A well-formed record that is not fit for the core (no template) is set aside before the core sees it.
        send("web-9", new dev.berth.bus.contract.PodCreated("web-9", "web", 1, null));
        eventually(SchedulerVerticleTest::deadLetters, d -> d.stream().anyMatch(l -> l.path("reason").asText().contains("/data/template: is required")));

        String nodeOfWeb1 = four.stream().filter(p -> p.pod().equals("web-1")).findFirst().orElseThrow().node();
        Envelope deletion = send("web-1", new PodDeletionRequested("web-1", "web", "scaled down"));
        Placement released = eventually(SchedulerVerticleTest::releases, r -> !r.isEmpty()).get(0);
        assertThat(released.key()).as("keyed by node").isEqualTo(nodeOfWeb1);
        assertThat(released.pod()).isEqualTo("web-1");
        assertThat(released.envelope().causationId()).isEqualTo(deletion.id());

        undeploy(deployment);
        send("web-2", new PodDeletionRequested("web-2", "web", "scaled down")); // while the scheduler is down
        deploy();
        create("web-5", Samples.template());

        eventually(SchedulerVerticleTest::placements, all -> all.stream().anyMatch(p -> p.pod().equals("web-5"))
                && all.stream().anyMatch(p -> p.pod().equals("web-2") && p.envelope().data() instanceof PodReleased));
        Thread.sleep(2000); // a few more retry ticks: anything doubled would show now

        Map<String, Long> placedPerPod = placed().stream().collect(Collectors.groupingBy(Placement::pod, Collectors.counting()));
        assertThat(placedPerPod).isEqualTo(Map.of("web-1", 1L, "web-2", 1L, "web-3", 1L, "web-4", 1L, "web-5", 1L));
        assertThat(releases()).extracting(Placement::pod).containsExactlyInAnyOrder("web-1", "web-2");
        assertThat(bus.payloads(Topic.SCHEDULING, PodUnschedulable.class)).as("not repeated after the restart")
                .extracting(PodUnschedulable::pod).containsExactly("huge");
    }
}
