package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.node.runtime.Cgroups;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: a local stack with the embedded broker and a real runc node;
 * apply 3 replicas, see 3 cgroup-limited containers run, scale to 1, delete, nothing left behind.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class LocalClusterE2ETest {
    static final String NODE = "node-1";

    @TempDir static Path home;
    static LocalStack stack;
    static CommandClient client;

    @BeforeAll
    static void up() throws Exception {
        stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1));
        client = new CommandClient(stack.bus());
        await().atMost(Duration.ofSeconds(30)).until(() -> view().nodes().size() == 1);
    }

    @AfterAll
    static void down() {
        if (stack != null) stack.close();
    }

    static ClusterView view() {
        return GetCommand.load(stack.bus(), Instant.now());
    }

    static List<String> runningPods() {
        return view().pods().stream().filter(p -> "Running".equals(p.phase())).map(p -> p.name).toList();
    }

    static List<String> runcContainers() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("runc", "--root", home.resolve("nodes").resolve(NODE).resolve("runc").toString(),
                "list", "-q").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    @Test
    void appliesScalesAndDeletesRealContainers() throws Exception {
        var manifest = DeploymentManifest.parse(Files.readString(Path.of("../../examples/busybox.yaml")));
        String name = manifest.deployment().name();

        long t0 = System.nanoTime();
        assertThat(client.send(new ApplyDeployment(manifest.deployment()), Duration.ofSeconds(30))).isInstanceOf(CommandAccepted.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> runningPods().size() == 3);
        System.out.printf("apply -> 3 Running containers: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        List<String> pods = runningPods();
        assertThat(runcContainers()).containsExactlyInAnyOrderElementsOf(pods);
        Cgroups cgroups = Cgroups.detect();
        for (String pod : pods) {
            String path = "/berth/" + NODE + "/" + pod;
            assertThat(cgroups.memoryLimit(path)).as("memory limit of %s", pod).isEqualTo(64L * 1024 * 1024);
            assertThat(cgroups.cpuQuota(path)).as("cpu quota of %s (250m of a 100 ms period)", pod).isEqualTo(25_000L);
        }
        assertThat(getPodsJson()).contains("\"phase\" : \"Running\"").contains("\"nodeName\" : \"node-1\"");

        assertThat(client.send(new ScaleDeployment(name, 1), Duration.ofSeconds(30))).isInstanceOf(CommandAccepted.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> runcContainers().size() == 1 && view().pods().size() == 1);

        assertThat(client.send(new DeleteDeployment(name), Duration.ofSeconds(30))).isInstanceOf(CommandAccepted.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> runcContainers().isEmpty() && view().pods().isEmpty());

        for (String pod : pods) {
            assertThat(cgroups.exists("/berth/" + NODE + "/" + pod)).as("cgroup of %s removed", pod).isFalse();
        }
        try (Stream<Path> bundles = Files.list(home.resolve("nodes").resolve(NODE).resolve("bundles"))) {
            assertThat(bundles).as("bundles removed").isEmpty();
        }
    }

    /** Anyone can drive Berth: kcat (librdkafka, no Berth code) produces a command and reads its answer. */
    @Test
    @EnabledIf("kcatInstalled")
    void aThirdPartyKafkaClientCanDriveBerth() throws Exception {
        String id = "kcat-" + System.nanoTime();
        String command = "{\"id\":\"" + id + "\",\"type\":\"ScaleDeployment\",\"version\":1,"
                + "\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"kcat\",\"data\":{\"name\":\"nope\",\"replicas\":2}}";
        Process produce = new ProcessBuilder("kcat", "-P", "-b", stack.bus().bootstrapServers(), "-t", "berth.commands", "-k", "nope")
                .redirectErrorStream(true).start();
        produce.getOutputStream().write(command.getBytes(StandardCharsets.UTF_8));
        produce.getOutputStream().close();
        assertThat(produce.waitFor()).isZero();

        await().atMost(Duration.ofSeconds(30)).until(() -> kcatResults().contains(id));
        String answer = kcatResults().lines().filter(l -> l.contains(id)).findFirst().orElseThrow();
        assertThat(answer).contains("CommandRejected").contains("deployment 'nope' not found");
    }

    /**
     * Issue 14's attack, with the bus still open: a placement the scheduler never wrote, produced with kcat, for a
     * pod the controller never created. The controller names it an intruder, the node stops it and refuses its name,
     * and `berth why` tells the story.
     */
    @Test
    @EnabledIf("kcatInstalled")
    void aForgedPlacementProducedWithKcatIsStoppedAndExplained() throws Exception {
        String miner = "miner-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        var template = DeploymentManifest.parse(Files.readString(Path.of("../../examples/busybox.yaml"))).deployment().template();
        String forged = dev.berth.bus.Json.encode(Envelope.spontaneous(
                new dev.berth.bus.contract.PodPlaced(miner, NODE, "miner", template, 1, null, null), "kcat", Instant.now()));
        Process produce = new ProcessBuilder("kcat", "-P", "-b", stack.bus().bootstrapServers(), "-t", "berth.placements", "-k", NODE)
                .redirectErrorStream(true).start();
        produce.getOutputStream().write(forged.getBytes(StandardCharsets.UTF_8));
        produce.getOutputStream().close();
        assertThat(produce.waitFor()).isZero();

        await().atMost(Duration.ofSeconds(30)).until(() -> why(miner).contains("never created"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !runcContainers().contains(miner));
        String why = why(miner);
        System.out.println("berth why pod/" + miner + ":\n" + why);
        assertThat(why).contains("pod " + miner + " was placed on node " + NODE + ", but the controller never created it");
        assertThat(view().pods()).as("never one of the cluster's pods").noneMatch(p -> p.name.equals(miner));
        Thread.sleep(2_000); // the agent's next reconcile: a refused name stays stopped
        assertThat(runcContainers()).doesNotContain(miner);
    }

    private static String why(String pod) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Berth.run("why", "pod/" + pod, "--bootstrap-servers", stack.bus().bootstrapServers());
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    static boolean kcatInstalled() {
        return RuncAvailable.check() && Files.isExecutable(Path.of("/usr/bin/kcat"));
    }

    private static String kcatResults() throws IOException, InterruptedException {
        Process consume = new ProcessBuilder("kcat", "-C", "-b", stack.bus().bootstrapServers(), "-t", "berth.command-results",
                "-e", "-q").redirectErrorStream(true).start();
        String out = new String(consume.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        consume.waitFor();
        return out;
    }

    private static String getPodsJson() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Berth.run("get", "pods", "-o", "json", "--bootstrap-servers", stack.bus().bootstrapServers());
            assertThat(code).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
