package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerLogs;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.LogLine;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.testing.TestBus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `berth logs` in-process against an embedded broker holding records as the controller and a node agent write them (no services run). */
class LogsCommandIntegrationTest {
    static TestBus bus;

    @BeforeAll
    static void start() {
        bus = TestBus.start();
        PodTemplate t = Samples.template();
        bus.send(Topic.DEPLOYMENTS, "web", new DeploymentApplied(new DeploymentSpec("web", 2, t, null), 1));
        for (String pod : List.of("web-a", "web-b")) {
            bus.send(Topic.PODS, pod, new PodCreated(pod, "web", 1, t, null));
            bus.send(Topic.PLACEMENTS, "node-1", new PodPlaced(pod, "node-1", "web", t, 1, Map.of(), List.of()));
        }
        bus.send(Topic.POD_STATUS, "web-a", new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "", 0));
        bus.send(Topic.POD_STATUS, "web-a", new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "", 1));
        bus.send(Topic.POD_STATUS, "web-b", new PodStatusChanged("web-b", "node-1", ContainerState.Starting, null, "", "", 0));
        logs("web-a", 0, 0, "first run 1", "first run 2");
        logs("web-a", 1, 0, "second run 1", "second run 2");
        logs("web-a", 1, 7, "second run 3");
        logs("web-b", 0, 0, "b's line");
    }

    @AfterAll
    static void stop() {
        if (bus != null) bus.close();
    }

    static void logs(String pod, int restartCount, long dropped, String... texts) {
        List<LogLine> lines = new ArrayList<>();
        for (String t : texts) lines.add(new LogLine(Instant.now(), LogLine.STDOUT, t));
        bus.send(Topic.LOGS, pod, new ContainerLogs(pod, null, "node-1", "web", restartCount, lines, dropped));
    }

    static CliRun berth(String... args) {
        return CliRun.berth(bus.config().bootstrapServers(), args);
    }

    @Test
    void theCurrentRunWithItsDroppedLines() {
        CliRun r = berth("logs", "web-a");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("second run 1\nsecond run 2\n[berth] 7 lines dropped: the pod exceeded its log rate\nsecond run 3\n");
    }

    @Test
    void previousTailAndTimestamps() {
        assertThat(berth("logs", "web-a", "--previous").out()).isEqualTo("first run 1\nfirst run 2\n");
        assertThat(berth("logs", "web-a", "--tail", "1").out()).isEqualTo("second run 3\n");
        assertThat(berth("logs", "web-a", "--tail", "1", "--timestamps").out()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z second run 3\n");
        assertThat(berth("logs", "web-a", "--since", "1h").out()).contains("second run 1");
    }

    @Test
    void errorsAsKubectlWordsThem() {
        CliRun none = berth("logs", "web-b", "--previous");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("previous terminated container \"web\" in pod \"web-b\" not found");
        assertThat(berth("logs", "nope").err()).contains("Error from server (NotFound): pods \"nope\" not found");
        assertThat(berth("logs", "web-a", "--since", "soon").err()).contains("invalid argument \"soon\" for \"--since\"");
    }

    @Test
    void deploymentSlashNameSaysWhichPod() {
        CliRun r = berth("logs", "deployment/web");
        assertThat(r.err()).contains("Found 2 pods, using pod/web-a"); // web-a runs, web-b is starting
        assertThat(r.out()).endsWith("second run 3\n");
    }

    @Test
    void followPrintsTheHistoryThenNewLinesAndEndsWithTheNextRun() throws Exception {
        CompletableFuture<CliRun> following = CompletableFuture.supplyAsync(() -> berth("logs", "web-b", "-f"));
        Thread.sleep(3000); // history printed, following
        logs("web-b", 0, 0, "live line");
        logs("web-b", 1, 0, "next run: ends the stream");
        CliRun r = following.get(30, TimeUnit.SECONDS);
        assertThat(r.out()).isEqualTo("b's line\nlive line\n");
    }
}
