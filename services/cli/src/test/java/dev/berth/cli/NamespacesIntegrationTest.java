package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Topic;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.NamespaceDeleted;
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

/** One deployment name in two namespaces, through the command line, a real controller and the embedded broker. */
class NamespacesIntegrationTest {
    static TestBus bus;
    static Vertx vertx;
    static SimulatedNode node;

    static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: web, image: busybox, resources: {limits: {cpu: 100m, memory: 32Mi}}}
            """;

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

    @Test
    void theSameDeploymentNameLivesInTwoNamespaces(@TempDir Path dir) throws Exception {
        Path web = dir.resolve("web.yaml");
        Files.writeString(web, WEB);
        Path elsewhere = dir.resolve("blog.yaml");
        Files.writeString(elsewhere, WEB.replace("metadata: {name: web}", "metadata: {name: web, namespace: blog}"));

        assertThat(berth("apply", "-f", web.toString(), "-n", "shop").err()).contains("namespaces \"shop\" not found");
        assertThat(berth("create", "namespace", "shop").out()).contains("namespace shop created");
        CliRun intoDefault = berth("apply", "-f", web.toString());
        CliRun intoShop = berth("apply", "-f", web.toString(), "-n", "shop");
        assertThat(intoDefault.out()).as(intoDefault.err()).contains("deployment web created");
        assertThat(intoShop.out()).as(intoShop.err()).contains("deployment shop/web created");

        CliRun mismatch = berth("apply", "-f", elsewhere.toString(), "-n", "shop");
        assertThat(mismatch.code()).isEqualTo(1);
        assertThat(mismatch.err()).contains("the namespace from the provided object \"blog\" does not match the namespace \"shop\"");
        assertThat(bus.payloads(Topic.DEPLOYMENTS, DeploymentApplied.class)).extracting(a -> a.deployment().key())
                .containsExactly("web", "shop/web");

        assertThat(berth("scale", "deployment/web", "--replicas", "2", "-n", "shop").out()).contains("deployment shop/web scaled from 1 to 2");
        await().atMost(Duration.ofSeconds(30)).until(() -> berth("get", "deployments", "-A").out().lines().count() == 3);
        CliRun all = berth("get", "deployments", "-A");
        assertThat(all.out().lines().toList().get(0)).startsWith("NAMESPACE   NAME");
        assertThat(all.out()).containsPattern("(?m)^default +web +0/1").containsPattern("(?m)^shop +web +0/2");
        assertThat(berth("get", "deployments", "-n", "shop").out()).contains("0/2").doesNotContain("0/1");
        assertThat(berth("get", "namespaces").out()).containsPattern("(?m)^default +Active").containsPattern("(?m)^shop +Active");
        assertThat(berth("get", "namespace", "shop", "-o", "yaml").out()).contains("kind: Namespace").contains("phase: Active");

        assertThat(berth("delete", "namespace", "default").err()).contains("namespaces \"default\" is forbidden");
        assertThat(berth("delete", "namespace/shop").out()).contains("namespace shop deleted: 1 deployment");
        bus.await(Topic.DEPLOYMENTS, NamespaceDeleted.class, d -> d.name().equals("shop"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> berth("get", "deployments", "-A").out().lines().count() == 2);
        assertThat(berth("get", "deployments").out()).containsPattern("(?m)^web +0/1");
    }

    private static CliRun berth(String... args) { return CliRun.berth(bus.config().bootstrapServers(), args); }
}
