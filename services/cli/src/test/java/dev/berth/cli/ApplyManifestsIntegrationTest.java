package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Topic;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentDeleted;
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

/** {@code berth apply -f} and {@code berth delete -f} with several objects, against a real controller and broker. */
class ApplyManifestsIntegrationTest {
    static TestBus bus;
    static Vertx vertx;
    static SimulatedNode node;

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(), ControllerOptions.defaults())));
        node = new SimulatedNode(bus.config(), "node-1"); // its heartbeats tell the controller which images exist
        bus.await(Topic.NODES, NodeStatusChanged.class, s -> s.condition() == NodeCondition.Ready, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (node != null) node.close();
        if (bus != null) bus.close();
    }

    @Test
    void eachObjectIsAnsweredUnknownKindsAreNamedAndTheRestStillApplies(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: frontend}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: frontend}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: frontend}}
                  template:
                    metadata: {labels: {app: frontend}}
                    spec:
                      containers:
                      - {name: web, image: busybox, resources: {requests: {cpu: 50m}, limits: {cpu: 100m, memory: 32Mi}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: Bad_Name}
                spec:
                  selector: {matchLabels: {app: bad-name}}
                  template:
                    metadata: {labels: {app: bad-name}}
                    spec:
                      containers:
                      - {name: web, image: busybox, resources: {limits: {cpu: 100m, memory: 32Mi}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: backend}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: backend}}
                  template:
                    metadata: {labels: {app: backend}}
                    spec:
                      containers:
                      - {name: web, image: busybox}
                """);

        CliRun applied = berth("apply", "-f", file.toString());

        assertThat(applied.code()).as(applied.err()).isEqualTo(1);
        assertThat(applied.err()).contains("persistentvolumeclaim/frontend: kind PersistentVolumeClaim (v1) is not supported by Berth; not applied")
                .contains("error: rejected:");
        assertThat(applied.out().lines().toList()).as(applied.out() + applied.err()).hasSize(2);
        assertThat(bus.payloads(Topic.DEPLOYMENTS, DeploymentApplied.class)).extracting(a -> a.deployment().name())
                .filteredOn(n -> !LABELLED.contains(n)).containsExactly("frontend", "backend");
        assertThat(bus.payloads(Topic.DEPLOYMENTS, DeploymentApplied.class)).filteredOn(a -> !LABELLED.contains(a.deployment().name()))
                .extracting(a -> a.deployment().template().resources().requested())
                .as("a request below its limit, and no resources at all, are fine")
                .containsExactly(new dev.berth.bus.contract.Resources(50, 32L << 20), dev.berth.bus.contract.Resources.ZERO);

        CliRun deleted = berth("delete", "-f", file.toString());

        assertThat(deleted.err()).contains("persistentvolumeclaim/frontend: kind PersistentVolumeClaim (v1) is not supported by Berth; not deleted");
        assertThat(bus.payloads(Topic.DEPLOYMENTS, DeploymentDeleted.class)).extracting(DeploymentDeleted::name)
                .filteredOn(n -> !LABELLED.contains(n)).containsExactly("frontend", "backend");
        assertThat(berth("delete").code()).isEqualTo(2);
    }

    /** The deployments of the selector test: the other tests share the broker and look past them. */
    static final java.util.Set<String> LABELLED = java.util.Set.of("cart", "till", "ledger", "odd");

    static String labelled(String name, String team, String selector, String podLabels) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, labels: {team: %s}}
                spec:
                  replicas: 1
                  selector: %s
                  template:
                    metadata: {labels: %s}
                    spec:
                      containers:
                      - {name: web, image: busybox, resources: {limits: {cpu: 100m, memory: 32Mi}}}
                """.formatted(name, team, selector, podLabels);
    }

    @Test
    void selectorsAreCheckedKeptAndSelectDeploymentsToDelete(@TempDir Path dir) throws Exception {
        Path shop = dir.resolve("shop.yaml");
        Files.writeString(shop, labelled("cart", "shop", "{matchLabels: {app: cart}}", "{app: cart, tier: web}") + "---\n"
                + labelled("till", "shop", "{matchExpressions: [{key: app, operator: In, values: [till]}]}", "{app: till}"));
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, labelled("ledger", "core", "{matchLabels: {app: ledger}}", "{app: ledger}"));
        assertThat(berth("apply", "-f", shop.toString()).code()).isZero();
        assertThat(berth("apply", "-f", other.toString()).code()).isZero();

        Path mismatch = dir.resolve("mismatch.yaml");
        Files.writeString(mismatch, labelled("odd", "core", "{matchLabels: {app: even}}", "{app: odd}"));
        CliRun rejected = berth("apply", "-f", mismatch.toString());
        assertThat(rejected.code()).isEqualTo(1);
        assertThat(rejected.err()).contains("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"odd\"}: "
                + "`selector` does not match template `labels`");

        Files.writeString(other, labelled("ledger", "core", "{matchLabels: {app: ledger, tier: db}}", "{app: ledger, tier: db}"));
        CliRun immutable = berth("apply", "-f", other.toString());
        assertThat(immutable.code()).isEqualTo(1);
        assertThat(immutable.err()).contains("spec.selector: Invalid value: \"app=ledger,tier=db\": field is immutable");

        CliRun deleted = berth("delete", "deployments", "-l", "team=shop");
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("deployment cart deleted").contains("deployment till deleted").doesNotContain("ledger");
        assertThat(bus.payloads(Topic.DEPLOYMENTS, DeploymentDeleted.class)).extracting(DeploymentDeleted::name)
                .contains("cart", "till").doesNotContain("ledger");
        assertThat(berth("delete", "deployments", "-l", "team=nobody").out()).isEqualTo("No resources found\n");
        assertThat(berth("get", "deployments", "-l", "team=core", "-o", "name").out()).isEqualTo("deployment.apps/ledger\n");
    }

    @Test
    void aWatchPrintsTheObjectEachNewEventChanges() throws Exception {
        ClusterView view = GetCommand.load(bus.config(), java.time.Instant.now());
        java.util.concurrent.BlockingQueue<String> printed = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread watch = new Thread(() -> {
            try {
                new GetWatch(bus.config(), GetCommand.VIEW_TOPICS).follow(view, e -> {
                    String changed = GetWatch.subject(GetCommand.Kind.deployments, e.data(), view);
                    if (changed != null && GetCommand.exists(view, GetCommand.Kind.deployments, changed)) {
                        printed.add(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.name, changed, java.time.Instant.now(), false));
                    }
                });
            } catch (org.apache.kafka.common.errors.InterruptException stopped) {
                // Ctrl-C
            }
        }, "watch");
        watch.start();
        Thread.sleep(2000); // the watch starts at the log's end
        new CommandClient(bus.config()).send(new dev.berth.bus.contract.ApplyDeployment(dev.berth.bus.Samples.deployment("watched", 1)),
                Duration.ofSeconds(30));

        assertThat(printed.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("deployment.apps/watched\n");
        watch.interrupt();
        watch.join(10_000);
        assertThat(watch.isAlive()).isFalse();
    }

    private static CliRun berth(String... args) { return CliRun.berth(bus.config().bootstrapServers(), args); }
}
