package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Envelope;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.testing.TestBus;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.node.hollow.HollowNodes;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerReplay;
import dev.berth.scheduler.SchedulerVerticle;
import dev.berth.scheduler.core.SchedulingPolicy;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay debugging on a recorded scenario: hundreds of pods on dozens of (hollow) nodes, scale
 * changes, a node failure and a scheduler restart. The scheduler replays with 0 differences,
 * another policy differs, `why` explains a replaced pod, `get --at` travels in time, and an
 * exported log gives the same answers offline.
 */
class ReplayDebuggingTest {
    static final PodTemplate SMALL = new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), Map.of(),
            new Resources(100, 64L << 20), "Always", 1);

    static TestBus bus;
    static Vertx vertx;
    static HollowNodes nodes;
    static Instant beforeScale;
    static List<RawRecord> recorded;
    @TempDir static Path dir;

    @BeforeAll
    static void recordScenario() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        nodes = new HollowNodes(bus.config(), HollowNodes.Options.of(24));
        deploy(nodes);
        deploy(new ControllerVerticle(bus.config(), ControllerOptions.defaults()));
        String scheduler = deploy(new SchedulerVerticle(bus.config(), SchedulerOptions.defaults()));

        for (int d = 0; d < 8; d++) bus.sendCommand(new ApplyDeployment(new DeploymentSpec("app-" + d, 30, SMALL)));
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.runningPods().size() == 240);

        beforeScale = Instant.now();
        Thread.sleep(50);
        bus.sendCommand(new ScaleDeployment("app-0", 10));
        bus.sendCommand(new ScaleDeployment("app-1", 40));
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.runningPods().size() == 230); // 240 - 20 + 10

        String dying = nodes.runningPods().get("app-2-" + firstPodSuffix("app-2"));
        nodes.silence(dying);
        await().atMost(Duration.ofSeconds(60)).until(() -> !bus.payloads(Topic.PODS, PodLost.class).isEmpty()
                && nodes.runningPods().values().stream().filter(n -> !n.equals(dying)).count() == 230);

        TestBus.await(vertx.undeploy(scheduler));
        deploy(new SchedulerVerticle(bus.config(), SchedulerOptions.defaults()));
        bus.sendCommand(new ApplyDeployment(new DeploymentSpec("late", 20, SMALL)));
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.runningPods().values().stream().filter(n -> !n.equals(dying)).count() == 250);

        recorded = new ArrayList<>();
        LogSource.broker(bus.config()).read(List.of(Topic.values()), recorded::add);
    }

    static String firstPodSuffix(String deployment) {
        return nodes.runningPods().keySet().stream().filter(p -> p.startsWith(deployment + "-")).sorted().findFirst()
                .orElseThrow().substring(deployment.length() + 1);
    }

    static String deploy(io.vertx.core.Deployable verticle) throws Exception {
        return TestBus.await(vertx.deployVerticle(verticle));
    }

    @AfterAll
    static void stop() throws Exception {
        TestBus.await(vertx.close());
        bus.close();
    }

    static SchedulerReplay.Result replay(List<RawRecord> log, SchedulingPolicy policy) {
        return SchedulerReplay.run(log, policy, null, null, SchedulerOptions.defaults().nodeStaleness());
    }

    @Test
    void schedulerReplaysWithZeroDifferences() {
        SchedulerReplay.Result result = replay(recorded, null);
        System.out.print(ReplayCommand.render(result, 0));

        assertThat(result.decisions()).isGreaterThanOrEqualTo(250);
        assertThat(result.differences()).isEmpty();
    }

    @Test
    void anotherPolicyDecidesDifferentlyAndTheDiffSaysWhere() {
        SchedulingPolicy recordedPolicy = SchedulerOptions.defaults().policy();
        SchedulingPolicy other = Arrays.stream(SchedulingPolicy.values()).filter(p -> p != recordedPolicy).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "only one scheduling policy exists");

        SchedulerReplay.Result result = replay(recorded, other);
        System.out.print(ReplayCommand.render(result, 0));

        assertThat(result.differences()).isNotEmpty();
        for (SchedulerReplay.Difference d : result.differences()) {
            if (d.replayed() != null) assertThat(d.replayed().node()).isEqualTo(d.replayedNode());
            if (d.recorded() != null) assertThat(d.recorded().node()).isEqualTo(d.recordedNode());
        }
    }

    @Test
    void whyOfAReplacedPodNamesTheNodeFailureAndTheReplacement() {
        List<Envelope> log = LogSource.broker(bus.config()).entries(EventsCommand.HISTORY).stream().map(LogSource.Entry::envelope).toList();
        // app-2 was never scaled, so its pods were created by the apply (a lost app-1 pod may come from the scale-up).
        PodLost lost = bus.payloads(Topic.PODS, PodLost.class).stream().filter(l -> l.deployment().equals("app-2"))
                .findFirst().orElseThrow();

        PodHistory.Chain chain = PodHistory.of(lost.pod(), log);
        assertThat(chain.events()).extracting(Envelope::type).contains("ApplyDeployment", "PodPlaced", "NodeStatusChanged", "PodLost");
        assertThat(chain.replacement()).isPresent();

        // `berth why` reads only the partitions the pod's keys lead to: the same chain as from the whole log.
        assertThat(PodHistory.of(lost.pod(), new TargetedHistory(bus.config()).gather(lost.pod())).events())
                .extracting(EventText::line).isEqualTo(chain.events().stream().map(EventText::line).toList());

        PodHistory.Chain successor = PodHistory.of(chain.replacement().get(), log);
        assertThat(successor.predecessor()).contains(lost.pod());
        assertThat(PodHistory.of(chain.replacement().get(), new TargetedHistory(bus.config()).gather(chain.replacement().get()))
                .predecessor()).as("the targeted read pairs the same way").contains(lost.pod());
        assertThat(successor.events()).extracting(Envelope::type).contains("PodLost", "PodCreated", "PodPlaced");
    }

    @Test
    void getAtShowsTheClusterBeforeAndAfterAScale() {
        ClusterView before = GetCommand.loadAt(LogSource.broker(bus.config()), beforeScale);
        ClusterView after = GetCommand.loadAt(LogSource.broker(bus.config()), Instant.now());

        assertThat(replicas(before, "app-0")).isEqualTo(30);
        assertThat(replicas(after, "app-0")).isEqualTo(10);
        assertThat(replicas(after, "app-1")).isEqualTo(40);
        assertThat(before.deployments()).noneMatch(d -> d.spec.name().equals("late"));
    }

    @Test
    void anExportedLogGivesTheSameAnswersOffline() throws Exception {
        Path file = dir.resolve("berth-log.jsonl");
        assertThat(Berth.run("log", "export", file.toString(), "--bootstrap-servers", bus.config().bootstrapServers())).isZero();
        LogSource offline = LogSource.file(file);
        List<RawRecord> exported = new ArrayList<>();
        offline.read(SchedulerReplay.TOPICS, exported::add);

        assertThat(replay(exported, null).differences()).isEmpty();
        assertThat(replay(exported, null).decisions()).isEqualTo(replay(recorded, null).decisions());
        assertThat(replicas(GetCommand.loadAt(offline, beforeScale), "app-0")).isEqualTo(30);
        // app-2 was never scaled, so its pods were created by the apply (a lost app-1 pod may come from the scale-up).
        PodLost lost = bus.payloads(Topic.PODS, PodLost.class).stream().filter(l -> l.deployment().equals("app-2"))
                .findFirst().orElseThrow();
        List<Envelope> online = LogSource.broker(bus.config()).entries(EventsCommand.HISTORY).stream().map(LogSource.Entry::envelope).toList();
        List<Envelope> fromFile = offline.entries(EventsCommand.HISTORY).stream().map(LogSource.Entry::envelope).toList();
        assertThat(PodHistory.of(lost.pod(), fromFile).events()).isEqualTo(PodHistory.of(lost.pod(), online).events());

        // Every reading command takes --from-file and reads the same history through the same source and order.
        String bootstrap = bus.config().bootstrapServers();
        for (String[] command : List.of(new String[] {"why", "pod/" + lost.pod()}, new String[] {"events", "--for", "pod/" + lost.pod()},
                new String[] {"describe", "pod/" + lost.pod()})) {
            CliRun live = CliRun.berth(bootstrap, command);
            List<String> offlineArgs = new ArrayList<>(List.of(command));
            offlineArgs.addAll(List.of("--from-file", file.toString()));
            CliRun offlineRun = CliRun.berth(bootstrap, offlineArgs.toArray(String[]::new));
            assertThat(offlineRun.code()).as(String.join(" ", command) + ": " + offlineRun.err()).isZero();
            if (command[0].equals("describe")) assertThat(offlineRun.out()).contains(lost.pod()).contains("Lost");
            else assertThat(offlineRun.out()).as(String.join(" ", command)).isEqualTo(live.out());
        }
        assertThat(CliRun.berth(bootstrap, "get", "deployments", "--at", beforeScale.toString(), "--from-file", file.toString()).out())
                .contains("app-0").contains("/30");
    }

    static int replicas(ClusterView view, String deployment) {
        return view.deployments().stream().filter(d -> d.spec.name().equals(deployment)).findFirst().orElseThrow().spec.replicas();
    }
}
