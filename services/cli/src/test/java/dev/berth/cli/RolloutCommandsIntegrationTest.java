package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Topic;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.testing.TestBus;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout verbs and set image through the real command line, a real controller and broker (in-process): each sends
 * the folded spec with its one change and prints kubectl's line once the controller accepts it.
 */
class RolloutCommandsIntegrationTest {
    static TestBus bus;
    static Vertx vertx;
    static SimulatedNode node;

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(), ControllerOptions.defaults())));
        node = new SimulatedNode(bus.config(), "node-1");
        bus.await(Topic.NODES, NodeStatusChanged.class, s -> s.condition() == NodeCondition.Ready, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (node != null) node.close();
        if (bus != null) bus.close();
    }

    static CliRun berth(String... args) { return CliRun.berth(bus.config().bootstrapServers(), args); }

    static DeploymentApplied latest() {
        var all = bus.payloads(Topic.DEPLOYMENTS, DeploymentApplied.class).stream().filter(a -> a.deployment().name().equals("web")).toList();
        return all.get(all.size() - 1);
    }

    @Test
    void eachVerbChangesOneThingOfTheFoldedSpec(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("web.yaml");
        Files.writeString(file, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop, annotations: {kubernetes.io/change-cause: first}}
                spec:
                  replicas: 2
                  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  minReadySeconds: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: web, image: busybox, resources: {limits: {cpu: 50m, memory: 32Mi}}}
                """);
        assertThat(berth("create", "namespace", "shop").code()).isZero();
        CliRun applied = berth("apply", "-f", file.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.err()).doesNotContain("Warning");

        CliRun image = berth("set", "image", "deployment/web", "web=busybox:1.36", "-n", "shop");
        assertThat(image.out()).as(image.err()).isEqualTo("deployment.apps/web image updated\n");
        assertThat(latest().deployment().template().image()).isEqualTo("busybox:1.36");
        assertThat(latest().deployment().rollout().minReadySeconds()).as("the rest of the spec is kept").isEqualTo(1);
        assertThat(latest().deployment().changeCause()).isEqualTo("first");

        assertThat(berth("rollout", "pause", "deployment/web", "-n", "shop").out()).isEqualTo("deployment.apps/web paused\n");
        assertThat(latest().deployment().rollout().paused()).isTrue();
        CliRun again = berth("rollout", "pause", "deployment/web", "-n", "shop");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("error: deployments.apps \"web\" is already paused\n");
        assertThat(berth("rollout", "restart", "deployment/web", "-n", "shop").err())
                .isEqualTo("error: deployments.apps \"web\" can't restart paused deployment (run rollout resume first)\n");
        assertThat(berth("rollout", "resume", "deployment/web", "-n", "shop").out()).isEqualTo("deployment.apps/web resumed\n");

        CliRun restarted = berth("rollout", "restart", "deployment/web", "-n", "shop");
        assertThat(restarted.out()).as(restarted.err()).isEqualTo("deployment.apps/web restarted\n");
        assertThat(latest().deployment().template().annotations()).containsKey(Rollouts.RESTARTED_AT);
        assertThat(latest().deployment().template().image()).isEqualTo("busybox:1.36");

        CliRun once = berth("rollout", "status", "deployment/web", "-n", "shop", "--watch=false");
        assertThat(once.code()).as(once.err()).isZero();
        assertThat(once.out()).matches("(?s)(Waiting for deployment .*|deployment \"web\" successfully rolled out)\n");
        assertThat(berth("rollout", "history", "deployment/web", "-n", "shop").code()).isZero();

        CliRun missing = berth("rollout", "status", "deployment/web");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("Error from server (NotFound): deployments.apps \"web\" not found\n");
        assertThat(berth("set", "image", "deployment/web", "nginx=busybox", "-n", "shop").err()).isEqualTo("error: unable to find container named \"nginx\"\n");
        assertThat(berth("describe", "deployment/web", "-n", "shop").out()).contains("RollingUpdateStrategy:  0 max unavailable, 1 max surge\n");
    }
}
