package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerLogs;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.LogLine;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `berth logs`: choosing the pod and run, and rendering synthetic ContainerLogs records as kubectl logs prints. */
class LogsCommandTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    final ClusterView view = new ClusterView();
    final List<Envelope> records = new ArrayList<>();

    void at(int second, Payload p) {
        view.apply(Envelope.spontaneous(p, "test", T0.plusSeconds(second)));
    }

    void pod(String namespace, String deployment, String name, int second) {
        PodTemplate t = Samples.template();
        at(0, new DeploymentApplied(new DeploymentSpec(deployment, 1, t, namespace), 1));
        at(second, new PodCreated(name, deployment, 1, t, namespace));
        at(second, new PodPlaced(name, "node-1", deployment, t, 1, Map.of(), List.of(), null, namespace));
    }

    void status(int second, String pod, ContainerState state, int restarts) {
        at(second, new PodStatusChanged(pod, "node-1", state, null, state == ContainerState.Running ? "Started" : "Error", "", restarts));
    }

    /** A batch read by the node at T0 + millis; each line a millisecond apart. */
    void logs(String pod, int restartCount, long millis, long dropped, String... texts) {
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) lines.add(new LogLine(T0.plusMillis(millis + i), LogLine.STDOUT, texts[i]));
        records.add(Envelope.spontaneous(new ContainerLogs(pod, null, "node-1", "web", restartCount, lines, dropped), "node-agent/node-1",
                T0.plusMillis(millis + texts.length)));
    }

    LogsCommand.Choice choose(String target) {
        return LogsCommand.choose(view, "default", target, null, false);
    }

    List<String> render(String target, LogsCommand.Shape shape) {
        return LogsCommand.render(records, choose(target), shape);
    }

    @Test
    void theCurrentRunsLinesInOrder() {
        pod("default", "web", "web-a", 1);
        status(2, "web-a", ContainerState.Running, 0);
        logs("web-a", 0, 0, 0, "one", "two");
        logs("web-a", 0, 200, 0, "three");
        assertThat(render("web-a", LogsCommand.Shape.ALL)).containsExactly("one", "two", "three");
    }

    @Test
    void afterARestartOnlyTheNewRunAndPreviousShowsTheOldOne() {
        pod("default", "web", "web-a", 1);
        status(2, "web-a", ContainerState.Running, 0);
        status(3, "web-a", ContainerState.Running, 1);
        logs("web-a", 0, 0, 0, "old 1", "old 2");
        logs("web-a", 1, 5000, 0, "new 1");
        assertThat(render("web-a", LogsCommand.Shape.ALL)).containsExactly("new 1");
        LogsCommand.Choice previous = LogsCommand.choose(view, "default", "web-a", null, true);
        assertThat(previous.restartCount()).isZero();
        assertThat(LogsCommand.render(records, previous, LogsCommand.Shape.ALL)).containsExactly("old 1", "old 2");
    }

    @Test
    void previousWithoutARestartIsKubectlsError() {
        pod("default", "web", "web-a", 1);
        status(2, "web-a", ContainerState.Running, 0);
        assertThat(LogsCommand.choose(view, "default", "web-a", null, true).error())
                .isEqualTo("Error from server (BadRequest): previous terminated container \"web\" in pod \"web-a\" not found");
    }

    @Test
    void tailKeepsTheLastLines() {
        pod("default", "web", "web-a", 1);
        logs("web-a", 0, 0, 0, "1", "2", "3");
        logs("web-a", 0, 200, 0, "4", "5");
        assertThat(render("web-a", new LogsCommand.Shape(null, 3, false))).containsExactly("3", "4", "5");
        assertThat(render("web-a", new LogsCommand.Shape(null, 0, false))).isEmpty();
        assertThat(render("web-a", new LogsCommand.Shape(null, 10, false))).hasSize(5);
    }

    @Test
    void sinceKeepsNewerLines() {
        pod("default", "web", "web-a", 1);
        logs("web-a", 0, 0, 0, "early");
        logs("web-a", 0, 10_000, 0, "late 1", "late 2");
        assertThat(render("web-a", new LogsCommand.Shape(T0.plusSeconds(5), -1, false))).containsExactly("late 1", "late 2");
    }

    @Test
    void sinceAndTailTogether() {
        pod("default", "web", "web-a", 1);
        logs("web-a", 0, 0, 0, "early");
        logs("web-a", 0, 10_000, 0, "a", "b", "c");
        assertThat(render("web-a", new LogsCommand.Shape(T0.plusSeconds(5), 2, false))).containsExactly("b", "c");
    }

    @Test
    void timestampsAreRfc3339NanoAsKubectlPrintsThem() {
        pod("default", "web", "web-a", 1);
        logs("web-a", 0, 50, 0, "x");
        assertThat(render("web-a", new LogsCommand.Shape(null, -1, true))).containsExactly("2026-12-02T10:00:00.05Z x");
        assertThat(LogsCommand.rfc3339Nano(T0)).isEqualTo("2026-12-02T10:00:00Z");
        assertThat(LogsCommand.rfc3339Nano(T0.plusNanos(123_456_789))).isEqualTo("2026-12-02T10:00:00.123456789Z");
        assertThat(LogsCommand.rfc3339Nano(T0.plusNanos(1_000))).isEqualTo("2026-12-02T10:00:00.000001Z");
    }

    @Test
    void droppedLinesShowAsOneLineInPlace() {
        pod("default", "web", "web-a", 1);
        logs("web-a", 0, 0, 0, "before");
        logs("web-a", 0, 200, 4200, "after");
        logs("web-a", 0, 400, 1);
        assertThat(render("web-a", LogsCommand.Shape.ALL)).containsExactly("before",
                "[berth] 4200 lines dropped: the pod exceeded its log rate", "after",
                "[berth] 1 line dropped: the pod exceeded its log rate");
    }

    @Test
    void otherPodsAndNamespacesAreNotShown() {
        pod("default", "web", "web-a", 1);
        pod("shop", "web", "web-b", 1);
        logs("web-a", 0, 0, 0, "mine");
        logs("web-b", 0, 0, 0, "theirs");
        records.add(Envelope.spontaneous(new ContainerLogs("web-a", "shop", "node-1", "web", 0,
                List.of(new LogLine(T0, LogLine.STDOUT, "same name, other namespace")), 0), "n", T0));
        assertThat(render("web-a", LogsCommand.Shape.ALL)).containsExactly("mine");
    }

    @Test
    void anUnknownPodIsNotFound() {
        assertThat(choose("nope").error()).isEqualTo("Error from server (NotFound): pods \"nope\" not found");
    }

    @Test
    void podSlashNameIsThePod() {
        pod("default", "web", "web-a", 1);
        assertThat(choose("pod/web-a").pod()).isEqualTo("web-a");
    }

    @Test
    void aPodInAnotherNamespaceNeedsMinusN() {
        pod("shop", "web", "web-a", 1);
        assertThat(choose("web-a").error()).contains("not found");
        assertThat(LogsCommand.choose(view, "shop", "web-a", null, false).pod()).isEqualTo("web-a");
    }

    @Test
    void theContainerIsNamedAfterTheDeployment() {
        pod("default", "web", "web-a", 1);
        assertThat(LogsCommand.choose(view, "default", "web-a", "web", false).error()).isNull();
        assertThat(LogsCommand.choose(view, "default", "web-a", "db", false).error()).isEqualTo("error: container db is not valid for pod web-a");
    }

    @Test
    void deploymentSlashNameUsesOnePodAndSaysWhich() {
        pod("default", "web", "web-b", 2);
        pod("default", "web", "web-a", 1);
        pod("default", "web", "web-c", 3);
        status(4, "web-b", ContainerState.Running, 0);
        status(5, "web-a", ContainerState.Running, 0);
        status(6, "web-c", ContainerState.Waiting, 2);
        LogsCommand.Choice c = choose("deployment/web");
        assertThat(c.pod()).isEqualTo("web-b"); // running longest
        assertThat(c.note()).isEqualTo("Found 3 pods, using pod/web-b");
        logs("web-b", 0, 0, 0, "from b");
        assertThat(LogsCommand.render(records, c, LogsCommand.Shape.ALL)).containsExactly("from b");
    }

    @Test
    void aDeploymentOfOnePodSaysNothing() {
        pod("default", "web", "web-a", 1);
        LogsCommand.Choice c = choose("deploy/web");
        assertThat(c.pod()).isEqualTo("web-a");
        assertThat(c.note()).isNull();
    }

    @Test
    void anUnknownDeploymentIsNotFound() {
        assertThat(choose("deployment/nope").error()).isEqualTo("Error from server (NotFound): deployments.apps \"nope\" not found");
    }

    @Test
    void followPrintsTheRunsNewRecordsAndEndsWithANewerRun() {
        pod("default", "web", "web-a", 1);
        LogsCommand.Follow f = new LogsCommand.Follow(choose("web-a"), false);
        logs("web-a", 0, 0, 3, "live");
        assertThat(f.accept(records.get(0))).containsExactly("[berth] 3 lines dropped: the pod exceeded its log rate", "live");
        assertThat(f.ended()).isFalse();
        logs("web-a", 1, 100, 0, "next run");
        assertThat(f.accept(records.get(1))).isEmpty();
        assertThat(f.ended()).isTrue();
    }

    @Test
    void followWithTimestamps() {
        pod("default", "web", "web-a", 1);
        LogsCommand.Follow f = new LogsCommand.Follow(choose("web-a"), true);
        logs("web-a", 0, 1, 0, "t");
        assertThat(f.accept(records.get(0))).containsExactly("2026-12-02T10:00:00.001Z t");
    }

    @Test
    void sinceTakesGoDurations() {
        assertThat(LogsCommand.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(LogsCommand.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(LogsCommand.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(LogsCommand.duration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        for (String bad : List.of("", "10", "5x", "s", "1h 2m")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogsCommand.duration(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aPodsKeyAlwaysMapsToTheSamePartitionAsTheProducers() {
        // Kafka's default partitioner: murmur2 of the key's bytes, made positive, modulo the partitions
        for (String pod : List.of("web-a", "web-7c9f5-xk2p9", "db-0")) {
            int expected = org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(
                    pod.getBytes(java.nio.charset.StandardCharsets.UTF_8), 6);
            assertThat(PodLogReader.partitionOf(pod, 6)).isEqualTo(expected);
        }
    }
}
