package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.*;
import dev.berth.bus.labels.LabelSelector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code -l} and {@code --show-labels} on get and delete, as kubectl has them; from an exported log, no broker. */
class LabelSelectionTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Map<String, String> WEB = Map.of("app", "web", "tier", "frontend");
    static final Map<String, String> API = Map.of("app", "api", "tier", "backend", "env", "prod");

    final ClusterView view = new ClusterView();
    final List<Envelope> log = new ArrayList<>();
    @TempDir Path dir;
    Path export;

    void at(int second, Payload p) {
        Envelope e = Envelope.spontaneous(p, "test", T0.plusSeconds(second));
        log.add(e);
        view.apply(e);
    }

    static DeploymentSpec deployment(String name, Map<String, String> own, Map<String, String> pods) {
        return new DeploymentSpec(name, 1, Samples.template().withLabels(pods), own, Selector.matching(Map.of("app", pods.get("app"))));
    }

    static NodeHeartbeat node(String name, Map<String, String> labels) {
        NodeResources r = new NodeResources(2000, 1L << 32, 110);
        return new NodeHeartbeat(name, r, r, List.of(), List.of(), 1, T0).withLabelsAndTaints(labels, List.of());
    }

    @BeforeEach
    void cluster() throws Exception {
        at(0, new DeploymentApplied(deployment("web", Map.of("team", "shop"), WEB), 1));
        at(0, new DeploymentApplied(deployment("api", Map.of("team", "core", "env", "prod"), API), 1));
        at(1, new PodCreated("web-a", "web", 1, Samples.template().withLabels(WEB)));
        at(1, new PodCreated("api-a", "api", 1, Samples.template().withLabels(API)));
        at(2, node("node-1", Map.of("kubernetes.io/hostname", "node-1", "kubernetes.io/arch", "amd64", "disk", "ssd")));
        at(2, node("node-2", Map.of("kubernetes.io/hostname", "node-2", "kubernetes.io/arch", "arm64")));
        export = dir.resolve("log.jsonl");
        List<String> lines = new ArrayList<>(List.of("{\"berthLog\":1}"));
        long offset = 0;
        for (Envelope e : log) {
            var topic = dev.berth.bus.Topic.of(e.data());
            lines.add(Json.object().put("topic", topic.topicName()).put("partition", 0).put("offset", offset++)
                    .put("timestamp", e.time().toEpochMilli()).put("key", topic.keyOf(e.data())).put("value", Json.encode(e)).toString());
        }
        Files.write(export, lines);
    }

    CliRun get(String... args) {
        List<String> all = new ArrayList<>(List.of("get"));
        all.addAll(List.of(args));
        all.addAll(List.of("--from-file", export.toString()));
        return CliRun.berth("127.0.0.1:1", all.toArray(String[]::new));
    }

    static Stream<Arguments> podSelections() {
        return Stream.of(
                Arguments.of("app=web", "pod/web-a\n"),
                Arguments.of("app==web", "pod/web-a\n"),
                Arguments.of("app!=web", "pod/api-a\n"),
                Arguments.of("app in (web,api)", "pod/api-a\npod/web-a\n"),
                Arguments.of("tier notin (frontend)", "pod/api-a\n"),
                Arguments.of("env", "pod/api-a\n"),
                Arguments.of("!env", "pod/web-a\n"),
                Arguments.of("app=web,env", ""),
                Arguments.of("", "pod/api-a\npod/web-a\n"));
    }

    @ParameterizedTest(name = "-l {0}")
    @MethodSource("podSelections")
    void getPodsSelectsByThePodsLabels(String selector, String names) {
        CliRun run = get("pods", "-l", selector, "-o", "name");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(names);
    }

    @Test
    void getDeploymentsSelectsByTheDeploymentsOwnLabels() {
        assertThat(get("deployments", "--selector", "team=core", "-o", "name").out()).isEqualTo("deployment.apps/api\n");
        assertThat(get("deployments", "-l", "app=web", "-o", "name").out()).as("pod labels are not the deployment's").isEmpty();
    }

    @Test
    void getNodesSelectsByTheWellKnownAndConfiguredLabels() {
        assertThat(get("nodes", "-l", "kubernetes.io/arch=arm64", "-o", "name").out()).isEqualTo("node/node-2\n");
        assertThat(get("nodes", "-l", "disk", "-o", "name").out()).isEqualTo("node/node-1\n");
    }

    @Test
    void aTableWithoutMatchesSaysSo() {
        assertThat(get("pods", "-l", "app=nothing").out()).isEqualTo("No resources found.\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app=(web", "app in web", "-bad-=x", "app in ()", "!app=web", "a b"})
    void anInvalidSelectorIsAnError(String selector) {
        CliRun run = get("pods", "-l", selector);
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: invalid selector \"" + selector + "\": ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aNameAndASelectorTogetherAreAnError() {
        CliRun run = get("pods", "web-a", "-l", "app=web");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("name cannot be provided when a selector is specified");
    }

    @Test
    void showLabelsAddsALabelsColumnLast() {
        List<String> pods = get("pods", "--show-labels").out().lines().toList();
        assertThat(pods.get(0)).endsWith("LABELS").startsWith("NAME");
        assertThat(pods).anySatisfy(l -> assertThat(l).startsWith("web-a").endsWith("app=web,tier=frontend"));
        assertThat(pods).anySatisfy(l -> assertThat(l).startsWith("api-a").endsWith("app=api,env=prod,tier=backend"));

        List<String> nodes = get("nodes", "--show-labels", "-l", "disk=ssd").out().lines().toList();
        assertThat(nodes).hasSize(2);
        assertThat(nodes.get(1)).startsWith("node-1").endsWith("disk=ssd,kubernetes.io/arch=amd64,kubernetes.io/hostname=node-1");

        List<String> wide = get("deployments", "-o", "wide", "--show-labels").out().lines().toList();
        assertThat(wide.get(0)).endsWith("SELECTOR   LABELS");
        assertThat(wide).anySatisfy(l -> assertThat(l).matches("web .* app=web +team=shop"));
    }

    @Test
    void withoutShowLabelsThereIsNoLabelsColumn() {
        assertThat(get("pods").out().lines().findFirst().orElseThrow()).doesNotContain("LABELS");
    }

    @Test
    void aNodeWithoutLabelsShowsNone() {
        assertThat(Selection.column(Map.of())).isEqualTo("<none>");
    }

    @Test
    void jsonCarriesLabelsAndTheSelector() throws Exception {
        JsonNode d = Json.MAPPER.readTree(get("deployment", "api", "-o", "json").out());
        assertThat(d.at("/metadata/labels")).isEqualTo(Json.MAPPER.readTree("{\"env\":\"prod\",\"team\":\"core\"}"));
        assertThat(d.at("/spec/selector")).isEqualTo(Json.MAPPER.readTree("{\"matchLabels\":{\"app\":\"api\"}}"));
        assertThat(d.at("/spec/template/metadata/labels/tier").asText()).isEqualTo("backend");

        JsonNode pods = Json.MAPPER.readTree(get("pods", "-l", "tier=frontend", "-o", "json").out());
        assertThat(pods.path("items")).hasSize(1);
        assertThat(pods.at("/items/0/metadata/labels")).isEqualTo(Json.MAPPER.readTree("{\"app\":\"web\",\"tier\":\"frontend\"}"));

        JsonNode node = Json.MAPPER.readTree(get("node", "node-2", "-o", "yaml").out().isEmpty() ? "{}" : Json.write(
                new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                        .readTree(get("node", "node-2", "-o", "yaml").out())));
        assertThat(node.at("/metadata/labels/kubernetes.io~1arch").asText()).isEqualTo("arm64");
    }

    @Test
    void matchExpressionsShowInTheSelectorAndItsColumn() throws Exception {
        at(3, new DeploymentApplied(Samples.labelledDeployment(), 2));
        JsonNode d = Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.json, "web", T0, true));
        assertThat(d.at("/spec/selector")).isEqualTo(Json.MAPPER.readTree("""
                {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["frontend","edge"]},
                 {"key":"legacy","operator":"DoesNotExist"}]}"""));
        assertThat(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.wide, "web", T0, true))
                .contains("app=web,tier in (edge,frontend),!legacy");
    }

    @Test
    void aDeploymentFromBeforeSelectorsSelectsItsTemplatesLabelsAndOneWithoutAnyNothing() throws Exception {
        at(3, new DeploymentApplied(new DeploymentSpec("old", 1, Samples.template().withLabels(Map.of("app", "old"))), 1));
        at(3, new DeploymentApplied(new DeploymentSpec("older", 1, Samples.template()), 1));
        assertThat(Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.json, "old", T0, true))
                .at("/spec/selector/matchLabels/app").asText()).isEqualTo("old");
        assertThat(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.wide, "older", T0, true).lines().skip(1).findFirst()
                .orElseThrow()).endsWith("<none>");
    }

    @Test
    void deleteSelectsDeploymentsByTheirOwnLabels() throws Exception {
        assertThat(DeleteCommand.selected(view, LabelSelector.parse("team in (shop,core)"), GetCommand.DEFAULT_NAMESPACE).stream().map(d -> d.name()).toList()).containsExactly("api", "web");
        assertThat(DeleteCommand.selected(view, LabelSelector.parse("env=prod"), GetCommand.DEFAULT_NAMESPACE).stream().map(d -> d.name()).toList()).containsExactly("api");
        assertThat(DeleteCommand.selected(view, LabelSelector.parse("app=web"), GetCommand.DEFAULT_NAMESPACE).stream().map(d -> d.name()).toList()).isEmpty();
    }

    @Test
    void deleteRefusesABadSelectorAndAKindWithoutOne() {
        CliRun bad = CliRun.berth("127.0.0.1:1", "delete", "deployments", "-l", "app in web");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: invalid selector \"app in web\"");

        CliRun named = CliRun.berth("127.0.0.1:1", "delete", "deployment/web", "-l", "app=web");
        assertThat(named.code()).isEqualTo(2);
        assertThat(named.err()).contains("berth delete deployments|services -l SELECTOR");

        CliRun kindOnly = CliRun.berth("127.0.0.1:1", "delete", "deployments");
        assertThat(kindOnly.code()).isEqualTo(2);
        assertThat(kindOnly.err()).contains("no name was specified");
    }
}
