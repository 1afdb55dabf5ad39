package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.node.hollow.HollowNodes;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerVerticle;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `berth top` on the real broker: hollow nodes publish synthetic usage for the pods the scheduler gave them. */
class TopIntegrationTest {
    static TestBus bus;
    static Vertx vertx;
    static HollowNodes nodes;

    @BeforeAll
    static void startCluster() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        nodes = new HollowNodes(bus.config(), new HollowNodes.Options("top-", 2, new NodeResources(4000, 16L << 30, 110), Duration.ofMillis(500))
                .withMetrics(HollowNodes.Metrics.every(Duration.ofMillis(500), 100, 64L << 20)));
        TestBus.await(vertx.deployVerticle(nodes));
        TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(), ControllerOptions.defaults())));
        TestBus.await(vertx.deployVerticle(new SchedulerVerticle(bus.config(), SchedulerOptions.defaults())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    @Test
    void topShowsEveryRunningPodAndNode() {
        PodTemplate t = new PodTemplate("busybox", List.of("sleep", "3600"), List.of(), Map.of(), new Resources(200, 128L << 20), "Always", 1)
                .withLabels(Map.of("app", "web"));
        bus.sendCommand(new ApplyDeployment(new DeploymentSpec("web", 3, t)));
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.runningPods().size() == 3);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            CliRun top = CliRun.berth(bus.config().bootstrapServers(), "top", "pods", "-l", "app=web");
            return top.code() == 0 && top.out().lines().filter(l -> l.matches("web-\\S+\\s+100m\\s+64Mi\\s+50%\\s+50%")).count() == 3;
        });
        CliRun top = CliRun.berth(bus.config().bootstrapServers(), "top", "pods", "-l", "app=web");
        assertThat(top.out().lines().findFirst().orElseThrow()).matches("NAME\\s+CPU\\(cores\\)\\s+MEMORY\\(bytes\\)\\s+CPU%REQ\\s+MEMORY%REQ");
        assertThat(CliRun.berth(bus.config().bootstrapServers(), "top", "pods", "-l", "app=db").out()).isEqualTo("No resources found in default namespace.\n");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
                CliRun.berth(bus.config().bootstrapServers(), "top", "nodes").out().lines().filter(l -> l.startsWith("top-")).count() == 2);
        String out = CliRun.berth(bus.config().bootstrapServers(), "top", "nodes").out();
        assertThat(out.lines().findFirst().orElseThrow()).matches("NAME\\s+CPU\\(cores\\)\\s+CPU%\\s+MEMORY\\(bytes\\)\\s+MEMORY%");
        long cpu = out.lines().filter(l -> l.startsWith("top-")).mapToLong(l -> Long.parseLong(l.split("\\s+")[1].replace("m", ""))).sum();
        assertThat(cpu).as("the nodes' totals are their pods' sums").isEqualTo(300);
    }
}
