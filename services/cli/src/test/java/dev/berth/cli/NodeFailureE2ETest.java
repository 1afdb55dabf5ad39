package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario with real runc nodes: three nodes, three replicas; a node's agent dies, its
 * pods are replaced on the others; when it comes back its stale containers are stopped (fencing).
 * Prints failure → replacement Running, three times.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class NodeFailureE2ETest {
    static final PodTemplate TRAPPING = new PodTemplate("busybox", List.of("sh", "-c"),
            List.of("trap 'exit 0' TERM; while true; do sleep 1; done"), Map.of(), new Resources(100, 32L << 20), "Always", 2);

    @TempDir static Path home;
    static LocalStack stack;

    @BeforeAll
    static void up() throws Exception {
        stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 3));
        await().atMost(Duration.ofSeconds(30)).until(() -> view().nodes().size() == 3);
        var answer = new CommandClient(stack.bus()).send(new ApplyDeployment(new DeploymentSpec("web", 3, TRAPPING)), Duration.ofSeconds(30));
        assertThat(answer).isInstanceOf(CommandAccepted.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> running().size() == 3);
    }

    @AfterAll
    static void down() {
        if (stack != null) stack.close();
    }

    static ClusterView view() { return GetCommand.load(stack.bus(), Instant.now()); }

    /** Running pods → their node. */
    static Map<String, String> running() {
        return view().pods().stream().filter(ClusterView.PodRow::isReady).collect(Collectors.toMap(p -> p.name, p -> p.node));
    }

    static List<String> runcContainers(String node) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("runc", "--root", home.resolve("nodes").resolve(node).resolve("runc").toString(), "list", "-q")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    @Test
    void aFailedNodesPodsAreReplacedAndFencedWhenItReturns() throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            Map<String, String> before = running();
            String node = before.values().stream().sorted().findFirst().orElseThrow();
            Set<String> stale = before.entrySet().stream().filter(e -> e.getValue().equals(node)).map(Map.Entry::getKey).collect(Collectors.toSet());

            long t0 = System.nanoTime();
            stack.stopNode(node);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Map<String, String> now = running();
                return now.size() == 3 && now.keySet().stream().noneMatch(stale::contains) && !now.containsValue(node);
            });
            millis.add((System.nanoTime() - t0) / 1_000_000);
            assertThat(runcContainers(node)).as("the dead agent's containers still run").containsAll(stale);

            stack.startNode(node);
            await().atMost(Duration.ofSeconds(60)).until(() -> runcContainers(node).stream().noneMatch(stale::contains));
            assertThat(running()).as("no replica doubled").hasSize(3);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf("node failure -> replacement Running (real runc, grace 3 s + eviction 2 s): %s ms, median %d ms%n",
                millis, sorted.get(1));
    }
}
