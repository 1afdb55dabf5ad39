package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerLogs;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.LogLine;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.node.core.RestartBackoff;
import dev.berth.node.logs.LogBatcher;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log shipper with real runc containers on a real broker: a busybox container's numbered lines arrive on
 * berth.logs in order, each run's under its restartCount; a flood beyond the rate cap is counted as dropped;
 * an agent that restarts resumes where the last one's acknowledged batches ended.
 */
@EnabledIf("dev.berth.node.RealRunc#usable")
class LogShippingRuncTest {
    static final RestartBackoff FAST = new RestartBackoff(Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofMinutes(1));

    static TestBus bus;
    static Vertx vertx;
    @TempDir static Path images;
    @TempDir Path home;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final List<NodeAgentOptions> nodes = new ArrayList<>();
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
        for (NodeAgentOptions o : nodes) NodeAgentVerticle.removeContainers(o);
    }

    @Test
    void numberedLinesArriveInOrderAndARestartsLinesCarryItsRestartCount() throws Exception {
        NodeAgentOptions node = node("lines");
        start(node);
        String pod = "lines-" + run;
        place(node, pod, template("Always", "echo oops >&2; for i in $(seq 1 300); do echo \"line $i\"; done; sleep 0.3; exit 1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> texts(pod, 1).contains("line 300"));
        // stdout and stderr share the file; where the stderr line falls among the shell's buffered stdout is the shell's business
        List<String> expected = IntStream.rangeClosed(1, 300).mapToObj(i -> "line " + i).toList();
        for (int restart : List.of(0, 1)) {
            List<String> got = texts(pod, restart);
            assertThat(got.stream().filter(t -> !t.equals("oops")).toList()).as("run %d, in order, each once", restart)
                    .containsExactlyElementsOf(expected);
            assertThat(got.stream().filter(t -> t.equals("oops"))).as("run %d's stderr", restart).hasSize(1);
        }
        List<ContainerLogs> batches = logs(pod);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.namespace()).isEqualTo("default");
            assertThat(b.node()).isEqualTo(node.nodeName());
            assertThat(b.container()).isEqualTo("test"); // named after the pod's deployment
            assertThat(b.dropped()).isZero();
            assertThat(b.lines()).allSatisfy(l -> assertThat(l.stream()).isEqualTo(LogLine.STDOUT)); // one file for both: see docs
        });

        release(node, pod);
        awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
    }

    @Test
    void aFloodBeyondTheRateCapIsCountedAsDropped() throws Exception {
        NodeAgentOptions node = node("flood");
        start(node);
        String pod = "flood-" + run;
        int lines = 6000; // far beyond 1000 lines/s: busybox's echo writes them in well under a second
        place(node, pod, template("Always", "i=0; while [ $i -lt " + lines + " ]; do echo \"flood $i\"; i=$((i+1)); done; echo done; sleep 600"));

        await().atMost(Duration.ofSeconds(30)).until(() -> shipped(pod) + dropped(pod) == lines + 1);
        long shipped = shipped(pod), dropped = dropped(pod);
        System.out.printf("flood of %d lines: %d shipped, %d dropped%n", lines + 1, shipped, dropped);
        assertThat(dropped).isPositive();
        assertThat(shipped).isGreaterThanOrEqualTo(LogBatcher.RATE_LINES_PER_SECOND);
        assertThat(texts(pod, 0).get(0)).isEqualTo("flood 0"); // the first second's lines pass, the rest is cut
        assertThat(logs(pod)).allSatisfy(b -> assertThat(b.lines().size()).isLessThanOrEqualTo(dev.berth.bus.Limits.LOG_LINES_MAX_ITEMS));

        release(node, pod);
        awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
    }

    @Test
    void aRestartedAgentResumesWhereItsPredecessorsBatchesEnded() throws Exception {
        NodeAgentOptions node = node("resume");
        NodeAgentVerticle first = new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.RUNC, PodNetworkSetup.NONE);
        String firstId = deploy(first);
        String pod = "resume-" + run;
        place(node, pod, template("Always", "for i in $(seq 1 60); do echo \"tick $i\"; sleep 0.05; done; sleep 600"));
        await().atMost(Duration.ofSeconds(30)).until(() -> texts(pod, 0).contains("tick 10"));

        first.keepContainersRunningOnStop(); // like a crash: the container keeps writing
        TestBus.await(vertx.undeploy(firstId));
        deployments.remove(firstId);
        Thread.sleep(700);
        start(node);

        await().atMost(Duration.ofSeconds(30)).until(() -> texts(pod, 0).contains("tick 60"));
        List<String> got = texts(pod, 0);
        List<String> expected = IntStream.rangeClosed(1, 60).mapToObj(i -> "tick " + i).toList();
        assertThat(got).as("nothing lost").containsAll(expected);
        assertThat(got.stream().distinct().toList()).as("in order").containsExactlyElementsOf(expected);
        System.out.printf("agent restart: %d lines shipped for 60 written (%d again)%n", got.size(), got.size() - 60);
        assertThat(got.size() - 60).as("at most the batches in flight again").isLessThanOrEqualTo(10);

        release(node, pod);
        awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
    }

    private NodeAgentOptions node(String name) {
        NodeAgentOptions o = NodeAgentOptions.local(name + "-" + run, home.resolve(name), images).withRestartBackoff(FAST)
                .withStatusReportInterval(Duration.ofHours(1));
        nodes.add(o);
        return o;
    }

    private void start(NodeAgentOptions node) throws Exception {
        deploy(new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.RUNC, PodNetworkSetup.NONE));
    }

    private String deploy(NodeAgentVerticle agent) throws Exception {
        String id = TestBus.await(vertx.deployVerticle(agent));
        deployments.add(id);
        return id;
    }

    private static PodTemplate template(String restartPolicy, String script) {
        return new PodTemplate("busybox", List.of("sh", "-c"), List.of(script), Map.of(), new Resources(250, 0), restartPolicy, 1);
    }

    private static void place(NodeAgentOptions node, String pod, PodTemplate t) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced(pod, node.nodeName(), "test", t, 1, Map.of(), List.of()));
    }

    private static void release(NodeAgentOptions node, String pod) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodReleased(pod, node.nodeName(), "test"));
    }

    private static List<ContainerLogs> logs(String pod) {
        return bus.payloads(Topic.LOGS, ContainerLogs.class).stream().filter(l -> l.pod().equals(pod)).toList();
    }

    private static List<String> texts(String pod, int restartCount) {
        return logs(pod).stream().filter(l -> l.restartCount() == restartCount).flatMap(l -> l.lines().stream()).map(LogLine::text).toList();
    }

    private static long shipped(String pod) {
        return logs(pod).stream().mapToLong(l -> l.lines().size()).sum();
    }

    private static long dropped(String pod) {
        return logs(pod).stream().mapToLong(ContainerLogs::dropped).sum();
    }

    private static void awaitStatus(String pod, java.util.function.Predicate<PodStatusChanged> match) {
        bus.await(Topic.POD_STATUS, PodStatusChanged.class, s -> s.pod().equals(pod) && match.test(s), Duration.ofSeconds(30));
    }
}
