package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.*;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Namespaces on the command line: -n/-A, the NAMESPACE column, namespaces as objects, kubectl's mismatch error. */
class NamespacesCliTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    final ClusterView view = new ClusterView();
    final List<Envelope> log = new ArrayList<>();

    void at(int second, Payload p) {
        Envelope e = Envelope.spontaneous(p, "test", T0.plusSeconds(second));
        log.add(e);
        view.apply(e);
    }

    /** web in default and in shop, one pod each, the shop one running. */
    void twoNamespaces() {
        at(0, new NamespaceApplied("shop"));
        at(1, new DeploymentApplied(Samples.deployment("web", 1), 1));
        at(1, new DeploymentApplied(Samples.deployment("web", 1).inNamespace("shop"), 1));
        at(2, new PodCreated("web-aaaaa", "web", 1, Samples.template()));
        at(2, new PodCreated("web-bbbbb", "web", 1, Samples.template(), "shop"));
        at(3, new PodPlaced("web-bbbbb", "node-1", "web", Samples.template(), 1, Map.of(), List.of(), null, "shop"));
        at(4, new PodStatusChanged("web-bbbbb", "node-1", ContainerState.Running, null, "Started", "pid 7", 0));
    }

    static NamespaceOptions ns(String namespace) { return NamespaceOptions.of(namespace, false); }

    static final NamespaceOptions ALL = NamespaceOptions.of(null, true);

    @Test
    void minusNAndMinusAParseOnEveryVerbThatNamesObjects() {
        GetCommand get = new GetCommand();
        new CommandLine(get).parseArgs("pods", "-n", "shop");
        assertThat(get.namespaces.namespace()).isEqualTo("shop");
        assertThat(get.namespaces.all).isFalse();

        GetCommand all = new GetCommand();
        new CommandLine(all).parseArgs("deployments", "--all-namespaces");
        assertThat(all.namespaces.all).isTrue();
        assertThat(all.namespaces.namespace()).as("no -n: default").isEqualTo("default");

        ScaleCommand scale = new ScaleCommand();
        new CommandLine(scale).parseArgs("deployment/web", "--replicas", "2", "--namespace", "shop");
        assertThat(scale.namespaces.namespace()).isEqualTo("shop");

        for (Object verb : List.of(new DeleteCommand(), new DescribeCommand(), new WhyCommand(), new EventsCommand(), new ApplyCommand(),
                new ReplayCommand())) {
            CommandLine line = new CommandLine(verb);
            assertThat(line.getCommandSpec().findOption("-n")).as(line.getCommandName()).isNotNull();
            assertThat(line.getCommandSpec().findOption("-A")).as(line.getCommandName()).isNotNull();
        }
    }

    @Test
    void deleteNamesADeploymentInMinusNOrANamespace() {
        assertThat(DeleteCommand.command("deployment/web", null, ns("shop"))).isEqualTo(new DeleteDeployment("web", "shop"));
        assertThat(DeleteCommand.command("web", null, ns(null))).isEqualTo(new DeleteDeployment("web", "default"));
        assertThat(DeleteCommand.command("namespace/shop", null, ns(null))).isEqualTo(new DeleteNamespace("shop"));
        assertThat(DeleteCommand.command("ns", "shop", ns(null))).isEqualTo(new DeleteNamespace("shop"));
        assertThatThrownBy(() -> DeleteCommand.command("pod/web-aaaaa", null, ns(null))).hasMessageContaining("expected deployment/NAME");
    }

    @Test
    void withoutMinusAOneNamespaceIsListedWithMinusAAllAfterANamespaceColumn() {
        twoNamespaces();

        String defaults = GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.table, null, T0.plusSeconds(10), true, ns(null));
        String shop = GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.table, null, T0.plusSeconds(10), true, ns("shop"));
        String all = GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.table, null, T0.plusSeconds(10), true, ALL);

        assertThat(defaults.lines().toList()).hasSize(2);
        assertThat(defaults).startsWith("NAME ").contains("0/1");
        assertThat(shop.lines().toList()).hasSize(2);
        assertThat(shop).contains("1/1");
        assertThat(all.lines().toList()).hasSize(3);
        assertThat(all.lines().toList().get(0)).startsWith("NAMESPACE   NAME");
        assertThat(all.lines().toList().get(1)).startsWith("default ").contains("0/1");
        assertThat(all.lines().toList().get(2)).startsWith("shop ").contains("1/1");

        String pods = GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.table, null, T0.plusSeconds(10), true, ALL);
        assertThat(pods.lines().toList()).hasSize(3);
        assertThat(pods.lines().toList().get(2)).startsWith("shop ").contains("web-bbbbb");
        assertThat(GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.name, null, T0, true, ns("shop"))).isEqualTo("pod/web-bbbbb\n");
    }

    @Test
    void aNameResolvesWithinMinusN() {
        twoNamespaces();
        assertThat(GetCommand.exists(view, GetCommand.Kind.pods, "web-bbbbb", ns("shop"))).isTrue();
        assertThat(GetCommand.exists(view, GetCommand.Kind.pods, "web-bbbbb", ns(null))).isFalse();
        assertThat(GetCommand.exists(view, GetCommand.Kind.pods, "web-bbbbb", ALL)).isTrue();
        assertThat(GetCommand.exists(view, GetCommand.Kind.deployments, "web", ns("blog"))).isFalse();
        assertThat(GetCommand.exists(view, GetCommand.Kind.namespaces, "shop", ns("blog"))).as("namespaces are cluster-wide").isTrue();
    }

    @Test
    void objectsCarryTheirNamespaceInJsonAndYaml() throws Exception {
        twoNamespaces();
        JsonNode deployments = Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.json, null, T0, true, ALL));
        assertThat(deployments.at("/items/0/metadata/namespace").asText()).isEqualTo("default");
        assertThat(deployments.at("/items/1/metadata/namespace").asText()).isEqualTo("shop");
        JsonNode pod = YAML.readTree(GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.yaml, "web-bbbbb", T0, true, ns("shop")));
        assertThat(pod.at("/metadata/namespace").asText()).isEqualTo("shop");
    }

    @Test
    void namespacesAreListedLikeKubectlAndTerminateUntilTheirPodsAreGone() throws Exception {
        twoNamespaces();
        String table = GetCommand.render(view, GetCommand.Kind.namespaces, GetCommand.Output.table, null, T0.plusSeconds(30), true, ns(null));
        assertThat(table.lines().toList()).containsExactly("NAME      STATUS   AGE", "default   Active   30s", "shop      Active   30s");

        JsonNode shop = YAML.readTree(GetCommand.render(view, GetCommand.Kind.namespace, GetCommand.Output.yaml, "shop", T0, true, ns(null)));
        assertThat(shop.path("kind").asText()).isEqualTo("Namespace");
        assertThat(shop.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(shop.at("/metadata/name").asText()).isEqualTo("shop");
        assertThat(shop.at("/status/phase").asText()).isEqualTo("Active");

        at(5, new NamespaceDeleted("shop"));
        at(5, new DeploymentDeleted("web", 1, "shop"));
        at(6, new PodDeletionRequested("web-bbbbb", "web", "deployment web deleted", "shop"));
        assertThat(view.namespace("shop").status()).isEqualTo("Terminating");
        at(7, new PodStatusChanged("web-bbbbb", "node-1", ContainerState.Stopped, null, null, null, 0));
        assertThat(view.namespace("shop")).as("gone with its last pod").isNull();
        assertThat(view.namespaces()).extracting(n -> n.name).containsExactly("default");
    }

    @Test
    void aManifestNamespaceThatDisagreesWithMinusNIsAnErrorLikeKubectls() throws Exception {
        JsonNode manifest = YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: web, image: busybox, resources: {limits: {cpu: 100m, memory: 32Mi}}}
                """);
        DeploymentManifest.Parsed parsed = DeploymentManifest.parse(manifest);

        assertThat(parsed.namespace()).isEqualTo("shop");
        assertThat(parsed.in(null).namespace()).isEqualTo("shop");
        assertThat(parsed.in("shop").namespace()).isEqualTo("shop");
        assertThatThrownBy(() -> parsed.in("blog")).hasMessage("the namespace from the provided object \"shop\" does not match the namespace"
                + " \"blog\". You must pass '--namespace=shop' to perform this operation.");
    }

    @Test
    void aManifestWithoutANamespaceGoesToMinusNOrDefault() throws Exception {
        ManifestReader.Item item = new ManifestReader.Item("app.yaml", YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: web, image: busybox, resources: {limits: {cpu: 100m, memory: 32Mi}}}
                """), null);

        assertThat(((ApplyDeployment) ApplyCommand.command(item, "apply", null, new ArrayList<>())).deployment().namespace()).isEqualTo("default");
        assertThat(((ApplyDeployment) ApplyCommand.command(item, "apply", "shop", new ArrayList<>())).deployment().namespace()).isEqualTo("shop");
        assertThat(ApplyCommand.command(item, "delete", "shop", new ArrayList<>())).isEqualTo(new DeleteDeployment("web", "shop"));
    }

    @Test
    void namespaceObjectsApplyAndDelete() throws Exception {
        ManifestReader.Item item = new ManifestReader.Item("ns.yaml", YAML.readTree("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"), null);
        assertThat(ApplyCommand.command(item, "apply", null, new ArrayList<>())).isEqualTo(new ApplyNamespace("shop"));
        assertThat(ApplyCommand.command(item, "delete", null, new ArrayList<>())).isEqualTo(new DeleteNamespace("shop"));
    }

    @Test
    void eventsShowMinusNAndClusterWideObjectsAndWithMinusAEveryNamespace() {
        twoNamespaces();
        at(5, new NodeStatusChanged("node-1", NodeCondition.Ready, false, "heartbeats", T0));

        List<String> defaults = lines(ns(null));
        List<String> shop = lines(ns("shop"));
        List<String> all = lines(ALL);

        assertThat(defaults).anyMatch(l -> l.contains("pod/web-aaaaa")).noneMatch(l -> l.contains("web-bbbbb")).anyMatch(l -> l.contains("node/node-1"));
        assertThat(shop).as("a status carries no namespace: its pod's creation tells it")
                .anyMatch(l -> l.contains("PodStatusChanged") && l.contains("web-bbbbb")).noneMatch(l -> l.contains("web-aaaaa"))
                .anyMatch(l -> l.contains("namespace/shop"));
        assertThat(all).hasSize(log.size());
        assertThat(all).anyMatch(l -> l.startsWith("shop ") && l.contains("web-bbbbb"));
    }

    private List<String> lines(NamespaceOptions ns) {
        EventText.PodNamespaces pods = new EventText.PodNamespaces();
        List<String> lines = new ArrayList<>();
        for (Envelope e : log) {
            String line = EventsCommand.line(e, Instant.MIN, null, ns, pods);
            if (line != null) lines.add(line);
        }
        return lines;
    }

    @Test
    void aPodNamedInTheWrongNamespaceIsNotFoundAndTheAnswerSaysWhere() {
        twoNamespaces();
        assertThat(PodNamespace.mismatch("web-bbbbb", log, ns("shop"))).isNull();
        assertThat(PodNamespace.mismatch("web-bbbbb", log, ALL)).isNull();
        assertThat(PodNamespace.mismatch("web-bbbbb", log, ns(null)))
                .isEqualTo("pods \"web-bbbbb\" not found in namespace default (it is in namespace shop: add -n shop)");
    }

    @Test
    void recordsWrittenBeforeNamespacesShowInDefault() throws Exception {
        String template = "{\"image\":\"busybox\",\"resources\":{\"cpuMillis\":100,\"memoryBytes\":67108864},"
                + "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":10}";
        view.apply(Json.decodeValidated("{\"id\":\"1\",\"type\":\"DeploymentApplied\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\","
                + "\"source\":\"controller\",\"data\":{\"deployment\":{\"name\":\"web\",\"replicas\":1,\"template\":" + template + "},\"generation\":1}}"));
        view.apply(Json.decodeValidated("{\"id\":\"2\",\"type\":\"PodCreated\",\"version\":1,\"time\":\"2026-11-27T10:00:01Z\","
                + "\"source\":\"controller\",\"data\":{\"pod\":\"web-abcde\",\"deployment\":\"web\",\"generation\":1,\"template\":" + template + "}}"));

        String all = GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.table, null, T0.plusSeconds(10), true, ALL);
        assertThat(all.lines().toList().get(1)).startsWith("default ").contains("web-abcde");
        assertThat(view.deployment("default", "web")).isNotNull();
    }
}
