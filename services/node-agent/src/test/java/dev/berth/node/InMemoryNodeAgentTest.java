package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.node.core.RestartBackoff;
import dev.berth.node.runtime.InMemoryRuntime;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node agent's real shell and core on a real broker, its containers in an {@link InMemoryRuntime}:
 * no root, no runc. Placements are sent as the scheduler sends them (berth.placements, key = node),
 * statuses read back from berth.pod-status, set-aside records from berth.dead-letters.
 */
class InMemoryNodeAgentTest {
    static final RestartBackoff FAST = new RestartBackoff(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(1));
    static final Duration WAIT = Duration.ofSeconds(30);

    static TestBus bus;
    static Vertx vertx;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final InMemoryRuntime runtime = new InMemoryRuntime();
    final List<String> deployments = new ArrayList<>();

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

    // --- readiness ---

    @Test
    void anHttpGetProbeOnTheNodesLoopbackMakesThePodReadyAndThenNotReady() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean healthy = new java.util.concurrent.atomic.AtomicBoolean(true);
        io.vertx.core.http.HttpServer server = vertx.createHttpServer()
                .requestHandler(req -> req.response().setStatusCode(healthy.get() && req.path().equals("/healthz") ? 200 : 500).end())
                .listen(0, "127.0.0.1").await(10, java.util.concurrent.TimeUnit.SECONDS);
        try {
            NodeAgentOptions node = start("probe");
            String pod = "probed-" + run;
            PodTemplate t = template("Always");
            var probe = new dev.berth.bus.contract.Probe(new dev.berth.bus.contract.Probe.HttpGet("/healthz", 0, "http", null, null),
                    null, null, 0, 1, 1, 1, 1);
            place(node, pod, new PodTemplate(t.image(), t.command(), t.args(), t.env(), t.resources(), t.restartPolicy(), 1,
                    null, null, null, null, List.of(new dev.berth.bus.contract.ContainerPort(server.actualPort(), "http", "TCP", 0)),
                    probe, null, null));
            assertThat(awaitStatus(pod, s -> s.state() == ContainerState.Running).ready()).isFalse();
            PodStatusChanged ready = awaitStatus(pod, s -> Boolean.TRUE.equals(s.ready()));
            healthy.set(false);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<PodStatusChanged> all = statuses(pod);
                return all.subList(all.indexOf(ready) + 1, all.size()).stream().anyMatch(s -> Boolean.FALSE.equals(s.ready()));
            });
            assertThat(runtime.running(pod)).as("readiness never restarts a container").isTrue();
            release(node, pod);
            awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
        } finally {
            server.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    // --- lifecycle ---

    @Test
    void placedPodsRunAndReleasedOnesStop() throws Exception {
        NodeAgentOptions node = start("life");
        String a = "a-" + run, b = "b-" + run;
        place(node, a, template("Always"));
        place(node, b, template("Always"));
        awaitStatus(a, s -> s.state() == ContainerState.Running);
        awaitStatus(b, s -> s.state() == ContainerState.Running);
        assertThat(runtime.running(a)).isTrue();
        assertThat(runtime.spec(a).annotations()).containsEntry("dev.berth.restarts", "0");
        await().atMost(WAIT).until(() -> lastHeartbeat(node).pods().containsAll(List.of(a, b)));

        release(node, a);
        awaitStatus(a, s -> s.state() == ContainerState.Stopped);
        assertThat(runtime.running(a)).isFalse();
        assertThat(runtime.stopped()).containsExactly(a);
        assertThat(statuses(a)).extracting(PodStatusChanged::state).containsExactly(ContainerState.Starting, ContainerState.Running,
                ContainerState.Terminating, ContainerState.Stopped);
        assertThat(runtime.running(b)).isTrue();
    }

    @Test
    void theAgentPublishesItsPodsUsageFromTheirSecondReadingOn() throws Exception {
        NodeAgentOptions node = start("metrics", o -> o.withMetricsInterval(Duration.ofMillis(300)));
        String pod = "used-" + run;
        place(node, pod, template("Always"));
        awaitStatus(pod, s -> s.state() == ContainerState.Running);
        runtime.use(pod, 400, 48L << 20);
        await().atMost(WAIT).until(() -> bus.payloads(Topic.RESOURCE_METRICS, dev.berth.bus.contract.NodeMetrics.class).stream()
                .filter(m -> m.node().equals(node.nodeName()))
                .flatMap(m -> m.pods().stream())
                .anyMatch(p -> p.pod().equals(pod) && p.deployment().equals("test") && p.containers().get(0).name().equals("test")
                        && p.memoryWorkingSetBytes() == 48L << 20 && p.cpuMillicores() >= 300 && p.cpuMillicores() <= 500));
        var m = bus.payloads(Topic.RESOURCE_METRICS, dev.berth.bus.contract.NodeMetrics.class).stream()
                .filter(x -> x.node().equals(node.nodeName())).reduce((a, b) -> b).orElseThrow();
        assertThat(m.memoryWorkingSetBytes()).as("the host's, from /proc/meminfo").isPositive();
        assertThat(m.windowMillis()).isPositive();
    }

    @Test
    void anExitedContainerRestartsWithGrowingBackOff() throws Exception {
        NodeAgentOptions node = start("crash");
        String pod = "crash-" + run;
        place(node, pod, template("Always"));
        for (int restart = 0; restart < 3; restart++) {
            int r = restart;
            awaitStatus(pod, s -> s.state() == ContainerState.Running && s.restartCount() == r);
            assertThat(runtime.exit(pod, 1)).isTrue();
        }
        awaitStatus(pod, s -> s.state() == ContainerState.Running && s.restartCount() == 3);
        List<PodStatusChanged> waits = statuses(pod).stream().filter(s -> s.state() == ContainerState.Waiting).toList();
        assertThat(waits).extracting(PodStatusChanged::message).containsExactly(
                "back-off 200ms restarting failed container (exit 1)",
                "back-off 400ms restarting failed container (exit 1)",
                "back-off 800ms restarting failed container (exit 1)");
        assertThat(waits).allSatisfy(w -> assertThat(w.reason()).isEqualTo("CrashLoopBackOff"));
        assertThat(runtime.spec(pod).annotations()).containsEntry("dev.berth.restarts", "3");
    }

    @Test
    void anOomKilledContainerIsReportedOomKilled() throws Exception {
        NodeAgentOptions node = start("oom");
        String pod = "hog-" + run;
        place(node, pod, template("Never"));
        awaitStatus(pod, s -> s.state() == ContainerState.Running);
        runtime.oomKill(pod);
        PodStatusChanged killed = awaitStatus(pod, s -> s.state() == ContainerState.Exited);
        assertThat(killed.reason()).isEqualTo("OOMKilled");
        assertThat(killed.exitCode()).isEqualTo(137);
    }

    @Test
    void aFailedStartBacksOffAndNeverLeaksAStartSlot() throws Exception {
        NodeAgentOptions node = start("fail");
        runtime.failStarts("*", "no such image layer");
        List<String> pods = new ArrayList<>();
        // More pods than start slots, every start failing: a leaked slot would leave some never retried.
        for (int i = 0; i < 2 * NodeAgentVerticle.START_SLOTS + 1; i++) pods.add("fail-" + i + "-" + run);
        for (String pod : pods) place(node, pod, template("Always"));
        for (String pod : pods) {
            PodStatusChanged failed = awaitStatus(pod, s -> s.state() == ContainerState.Failed);
            assertThat(failed.reason()).isEqualTo("StartError");
            assertThat(failed.message()).contains("no such image layer");
        }
        runtime.allowStarts("*");
        for (String pod : pods) awaitStatus(pod, s -> s.state() == ContainerState.Running);
    }

    @Test
    void aStartTheRuntimeRefusesOrThrowsOnIsAFailedStart() throws Exception {
        NodeAgentOptions node = start("throw");
        String unknown = "unknown-" + run, crash = "crash-" + run;
        place(node, unknown, new PodTemplate("nginx", List.of("sleep"), List.of("1"), Map.of(), new Resources(10, 1 << 20), "Never", 1));
        PodStatusChanged failed = awaitStatus(unknown, s -> s.state() == ContainerState.Failed);
        assertThat(failed.reason()).isEqualTo("ErrImagePull");
        assertThat(failed.message()).contains("failed to pull image \"nginx\": manifest unknown");
        // an image that cannot be had is retried whatever the restart policy, as the kubelet does
        assertThat(awaitStatus(unknown, s -> s.state() == ContainerState.Waiting).reason()).isEqualTo("ImagePullBackOff");
        runtime.crashStarts(crash);
        place(node, crash, template("Never"));
        assertThat(awaitStatus(crash, s -> s.state() == ContainerState.Failed).message()).contains("runtime crashed");
        String next = "next-" + run;
        place(node, next, template("Always"));
        awaitStatus(next, s -> s.state() == ContainerState.Running);
    }

    @Test
    void aRestartedAgentAdoptsItsContainersAndStopsThoseReleasedMeanwhile() throws Exception {
        NodeAgentOptions node = options("adopt");
        NodeAgentVerticle first = new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.inMemory(runtime));
        String firstId = deploy(first);
        String keep = "keep-" + run, gone = "gone-" + run, early = "early-" + run;
        place(node, keep, template("Always"));
        place(node, gone, template("Always"));
        place(node, early, template("Never"));
        for (String pod : List.of(keep, gone, early)) awaitStatus(pod, s -> s.state() == ContainerState.Running);

        first.keepContainersRunningOnStop();
        TestBus.await(vertx.undeploy(firstId));
        deployments.remove(firstId);
        assertThat(runtime.closed()).isTrue();
        release(node, gone);
        runtime.exit(early, 3);
        assertThat(runtime.list()).as("the containers outlive their agent").containsExactlyInAnyOrder(keep, gone, early);

        Instant secondStarted = Instant.now();
        deploy(new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.inMemory(runtime)));
        PodStatusChanged adopted = awaitStatus(keep, secondStarted, s -> s.state() == ContainerState.Running);
        assertThat(adopted.reason()).isEqualTo("Adopted");
        awaitStatus(gone, secondStarted, s -> s.state() == ContainerState.Stopped);
        assertThat(awaitStatus(early, secondStarted, s -> s.state() == ContainerState.Exited).exitCode()).isEqualTo(3);
        assertThat(runtime.list()).containsExactlyInAnyOrder(keep, early);
        assertThat(statuses(keep, secondStarted)).as("never started again").noneMatch(s -> s.state() == ContainerState.Starting);
        assertThat(runtime.starts()).isEqualTo(3);
    }

    // --- intruders (issue 14, defence in depth) ---

    /** The controller's PodIntruderFound stops the pod, and the name stays refused: a re-sent forged placement runs nothing. */
    @Test
    void anIntruderTheControllerFoundIsStoppedAndItsNameRefused() throws Exception {
        NodeAgentOptions node = start("intruder");
        String miner = "miner-" + run, web = "web-" + run;
        place(node, miner, template("Always"));
        place(node, web, template("Always"));
        awaitStatus(miner, s -> s.state() == ContainerState.Running);
        awaitStatus(web, s -> s.state() == ContainerState.Running);

        bus.send(Topic.NODES, node.nodeName(), new dev.berth.bus.contract.PodIntruderFound(node.nodeName(), miner,
                dev.berth.bus.contract.PodIntruderFound.BY_PLACEMENT, null, "pod " + miner + " was placed on node " + node.nodeName()
                + ", but the controller never created it"));
        awaitStatus(miner, s -> s.state() == ContainerState.Stopped);
        assertThat(runtime.running(miner)).isFalse();

        Instant again = Instant.now();
        place(node, miner, template("Always"));
        place(node, "after-" + run, template("Always"));
        awaitStatus("after-" + run, again, s -> s.state() == ContainerState.Running);
        assertThat(statuses(miner, again)).as("the refused name is not started again").noneMatch(s -> s.state() == ContainerState.Starting);
        assertThat(runtime.running(miner)).isFalse();
        assertThat(runtime.running(web)).as("the node's other pods run on").isTrue();
    }

    /** A restarted agent reads the forged placement and the controller's answer from the log, and starts nothing of it. */
    @Test
    void aRestartedAgentDoesNotRunARefusedPodFromTheLog() throws Exception {
        NodeAgentOptions node = options("intruder-restart");
        String miner = "miner-" + run;
        place(node, miner, template("Always"));
        bus.send(Topic.NODES, node.nodeName(), new dev.berth.bus.contract.PodIntruderFound(node.nodeName(), miner,
                dev.berth.bus.contract.PodIntruderFound.BY_PLACEMENT, null, "never created"));
        place(node, "ok-" + run, template("Always"));
        deploy(new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.inMemory(runtime)));
        awaitStatus("ok-" + run, s -> s.state() == ContainerState.Running);
        assertThat(statuses(miner)).noneMatch(s -> s.state() == ContainerState.Starting);
        assertThat(runtime.list()).doesNotContain(miner);
    }

    @Test
    void everyPodsStatusIsReportedAgainInFull() throws Exception {
        NodeAgentOptions node = start("report", o -> o.withStatusReportInterval(Duration.ofMillis(300)));
        String up = "up-" + run, done = "done-" + run;
        place(node, up, template("Always"));
        place(node, done, template("Never"));
        PodStatusChanged running = awaitStatus(up, s -> s.state() == ContainerState.Running);
        awaitStatus(done, s -> s.state() == ContainerState.Running);
        runtime.exit(done, 0);
        PodStatusChanged exited = awaitStatus(done, s -> s.state() == ContainerState.Exited);
        // A status lost on its way would be sent again: each pod's last one repeats, identical.
        await().atMost(WAIT).until(() -> statuses(up).stream().filter(running::equals).count() >= 3
                && statuses(done).stream().filter(exited::equals).count() >= 3);
        List<Envelope> repeats = bus.read(Topic.POD_STATUS).stream().filter(e -> running.equals(e.data())).toList();
        assertThat(repeats.subList(1, repeats.size())).as("a repeat answers nothing").allSatisfy(e -> assertThat(e.causationId()).isNull());
        release(node, up);
        awaitStatus(up, s -> s.state() == ContainerState.Stopped);
        int after = statuses(up).size();
        Thread.sleep(1000); // three report intervals: a stopped pod is no longer reported
        assertThat(statuses(up)).hasSize(after);
    }

    // --- bad placements: set aside, skipped, never a stop of heartbeats or of the stream ---

    @Test
    void aPlacementWithoutATemplateIsSetAside() throws Exception {
        NodeAgentOptions node = start("notemplate");
        String pod = "bare-" + run;
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced(pod, node.nodeName(), "test", null, 1, Map.of(), List.of()));
        assertSetAsideAndStillWorking(node, "/data/template: is required");
    }

    @Test
    void aPlacementWhosePodNameIsNotADns1123LabelIsSetAside() throws Exception {
        NodeAgentOptions node = start("badname");
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced("../../etc/" + run, node.nodeName(), "test", template("Always"), 1,
                Map.of(), List.of()));
        assertSetAsideAndStillWorking(node, "is not a DNS-1123 label");
        assertThat(runtime.starts()).as("nothing started for it").isEqualTo(1);
    }

    @Test
    void aReleaseWithoutAPodNameIsSetAside() throws Exception {
        NodeAgentOptions node = start("noname");
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodReleased(null, node.nodeName(), "test"));
        assertSetAsideAndStillWorking(node, "/data/pod: is required");
    }

    @Test
    void anUndecodablePlacementIsSetAside() throws Exception {
        NodeAgentOptions node = start("garbage");
        bus.send(Topic.PLACEMENTS, node.nodeName(), "{\"type\":\"PodPlaced\",\"data\":{\"pod\":" + run);
        assertSetAsideAndStillWorking(node, "not valid JSON");
    }

    @Test
    void aRecordOfAnotherTypeOnThePlacementsTopicIsSetAside() throws Exception {
        NodeAgentOptions node = start("wrongtype");
        bus.send(Topic.PLACEMENTS, node.nodeName(), new NodeHeartbeat(node.nodeName(), new NodeResources(1000, 1L << 30, 10),
                new NodeResources(1000, 1L << 30, 10), List.of(), List.of(), 1, Instant.now()));
        assertSetAsideAndStillWorking(node, "unexpected NodeHeartbeat on berth.placements");
    }

    @Test
    void anOversizedPlacementIsSetAsideUndecodedWithAnExcerptOnly() throws Exception {
        NodeAgentOptions node = start("huge");
        String huge = "{\"type\":\"PodPlaced\",\"data\":{\"pod\":\"x\",\"deployment\":\"" + "y".repeat(300_000) + "\"}}";
        bus.send(Topic.PLACEMENTS, node.nodeName(), huge);
        JsonNode letter = assertSetAsideAndStillWorking(node, "the limit on berth.placements is 262144 bytes");
        assertThat(letter.path("value").asText().length()).isLessThan(5000);
    }

    @Test
    void aPlacementForAnotherNodeUnderThisNodesKeyIsSetAside() throws Exception {
        NodeAgentOptions node = start("forged");
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced("forged-" + run, "other-node", "test", template("Always"), 1,
                Map.of(), List.of()));
        assertSetAsideAndStillWorking(node, "placement for node other-node under the key of node");
    }

    /** The bad record is on berth.dead-letters with its reason; heartbeats go on; the next good placement runs. */
    private JsonNode assertSetAsideAndStillWorking(NodeAgentOptions node, String reason) throws Exception {
        JsonNode[] letter = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            letter[0] = deadLetters(node).stream().filter(l -> l.path("reason").asText().contains(reason)).findFirst().orElse(null);
            return letter[0] != null;
        });
        assertThat(letter[0].path("topic").asText()).isEqualTo(Topic.PLACEMENTS.topicName());
        long beat = lastHeartbeat(node).sequence();
        String good = "good-" + run;
        place(node, good, template("Always"));
        awaitStatus(good, s -> s.state() == ContainerState.Running);
        await().atMost(WAIT).until(() -> lastHeartbeat(node).sequence() > beat + 1);
        assertThat(lastHeartbeat(node).pods()).contains(good);
        return letter[0];
    }

    // --- helpers ---

    private NodeAgentOptions options(String name) {
        return NodeAgentOptions.local(name + "-" + run, Path.of("/nonexistent/berth-in-memory"), Path.of("/nonexistent/berth-images"))
                .withRestartBackoff(FAST).withHeartbeatInterval(Duration.ofMillis(200))
                .withCapacity(new NodeResources(4000, 8L << 30, 110))
                .withStatusReportInterval(Duration.ofHours(1)); // exact status sequences; the report test sets its own
    }

    private NodeAgentOptions start(String name) throws Exception {
        return start(name, o -> o);
    }

    private NodeAgentOptions start(String name, java.util.function.UnaryOperator<NodeAgentOptions> tweak) throws Exception {
        NodeAgentOptions node = tweak.apply(options(name));
        deploy(new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.inMemory(runtime)));
        return node;
    }

    private String deploy(NodeAgentVerticle agent) throws Exception {
        String id = TestBus.await(vertx.deployVerticle(agent));
        deployments.add(id);
        return id;
    }

    static PodTemplate template(String restartPolicy) {
        return new PodTemplate("busybox", List.of("sleep"), List.of("3600"), Map.of(), new Resources(100, 16L << 20), restartPolicy, 1);
    }

    private static void place(NodeAgentOptions node, String pod, PodTemplate t) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced(pod, node.nodeName(), "test", t, 1, Map.of(), List.of()));
    }

    private static void release(NodeAgentOptions node, String pod) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodReleased(pod, node.nodeName(), "test"));
    }

    private static NodeHeartbeat lastHeartbeat(NodeAgentOptions node) {
        List<NodeHeartbeat> beats = bus.payloads(Topic.NODE_HEARTBEATS, NodeHeartbeat.class).stream()
                .filter(h -> h.node().equals(node.nodeName())).toList();
        return beats.isEmpty() ? new NodeHeartbeat(node.nodeName(), null, null, List.of(), List.of(), -1, Instant.EPOCH) : beats.get(beats.size() - 1);
    }

    /** Dead letters set aside by this node's agent. */
    private static List<JsonNode> deadLetters(NodeAgentOptions node) {
        List<JsonNode> letters = new ArrayList<>();
        LogReader.readAll(bus.config(), List.of(Topic.DEAD_LETTERS), r -> {
            try {
                JsonNode l = Json.parse(r.value());
                if (l.path("consumer").asText().equals("node-agent/" + node.nodeName())) letters.add(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return letters;
    }

    private static List<PodStatusChanged> statuses(String pod) {
        return statuses(pod, Instant.EPOCH);
    }

    private static List<PodStatusChanged> statuses(String pod, Instant since) {
        List<PodStatusChanged> out = new ArrayList<>();
        for (Envelope e : bus.read(Topic.POD_STATUS)) {
            if (e.data() instanceof PodStatusChanged s && s.pod().equals(pod) && !e.time().isBefore(since)) out.add(s);
        }
        return out;
    }

    private static PodStatusChanged awaitStatus(String pod, Predicate<PodStatusChanged> match) {
        return awaitStatus(pod, Instant.EPOCH, match);
    }

    private static PodStatusChanged awaitStatus(String pod, Instant since, Predicate<PodStatusChanged> match) {
        PodStatusChanged[] found = new PodStatusChanged[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            found[0] = statuses(pod, since).stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }
}
