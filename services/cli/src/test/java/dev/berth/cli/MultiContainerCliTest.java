package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ContainerLogs;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.ContainerStatus;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.LogLine;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CLI with a pod of several containers: the manifest's containers[] and initContainers[] all read, READY n/m,
 * STATUS Init:N/M, -o json's containerStatuses per container, describe's sections, logs -c and kubectl's default.
 */
class MultiContainerCliTest {
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: shop}
            spec:
              selector: {matchLabels: {app: shop}}
              template:
                metadata: {labels: {app: shop}}
                spec:
                  initContainers:
                    - name: setup
                      image: busybox
                      command: [sh, -c, "echo ready > /tmp/x"]
                  containers:
                    - name: web
                      image: busybox
                      command: [httpd, -f, -p, "8080"]
                      resources: {limits: {cpu: 200m, memory: 32Mi}}
                      readinessProbe: {httpGet: {path: /, port: 8080}}
                    - name: side
                      image: alpine
                      command: [sleep, "3600"]
                      resources: {limits: {cpu: 100m, memory: 16Mi}}
            """;

    final ClusterView view = new ClusterView();
    final List<Envelope> log = new ArrayList<>();

    void at(int second, Payload p) {
        Envelope e = Envelope.spontaneous(p, "test", T0.plusSeconds(second));
        view.apply(e);
        log.add(e);
    }

    DeploymentSpec placed() throws Exception {
        DeploymentSpec spec = DeploymentManifest.parse(MANIFEST).deployment();
        at(0, new DeploymentApplied(spec, 1));
        at(1, new PodCreated("shop-abcde", "shop", 1, spec.template(), "default"));
        at(1, new PodPlaced("shop-abcde", "node-1", "shop", spec.template(), 1, Map.of(), List.of(), null, "default"));
        return spec;
    }

    static ContainerStatus cs(String name, ContainerState state, boolean ready, int restarts, String reason) {
        return new ContainerStatus(name, state, ready, restarts, state == ContainerState.Exited ? 0 : null, reason,
                name.equals("side") ? "alpine" : "busybox", "busybox@sha256:" + "a".repeat(64));
    }

    void status(int second, ContainerState state, String reason, boolean ready, List<ContainerStatus> app, List<ContainerStatus> init) {
        int restarts = app.stream().mapToInt(ContainerStatus::restartCount).sum();
        at(second, new PodStatusChanged("shop-abcde", "node-1", state, null, reason, null, restarts, null, "10.244.0.5", ready, app, init));
    }

    void running(int second, int sideRestarts) {
        status(second, ContainerState.Running, "Started", true,
                List.of(cs("web", ContainerState.Running, true, 0, "Started"), cs("side", ContainerState.Running, true, sideRestarts, "Started")),
                List.of(cs("setup", ContainerState.Exited, true, 0, "Completed")));
    }

    @Test
    void theManifestsContainersAndInitContainersAreAllRead() throws Exception {
        var parsed = DeploymentManifest.parse(MANIFEST);
        var t = parsed.deployment().template();
        assertThat(t.containerNames()).containsExactly("web", "side");
        assertThat(t.initContainers()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("setup"));
        assertThat(t.container("side").resources().limits().memoryBytes()).isEqualTo(16L << 20);
        assertThat(t.container("web").readinessProbe()).isNotNull();
        assertThat(t.resources().limits().cpuMillis()).as("no pod limit: setup has none").isNull();
        assertThat(parsed.ignored()).noneMatch(s -> s.contains("initContainers")).noneMatch(s -> s.contains("containers[1]"));
    }

    @Test
    void aContainerOfSeveralWithoutANameIsRefusedInKubernetesWords() {
        String unnamed = MANIFEST.replace("name: side\n          image: alpine", "image: alpine");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeploymentManifest.parse(unnamed))
                .hasMessage("spec.template.spec.containers[1].name: Required value");
    }

    @Test
    void getPodsShowsInitProgressThenReadyOfAllAndEveryImageWhenWide() throws Exception {
        placed();
        status(2, ContainerState.Starting, "Init:0/1", false,
                List.of(cs("web", ContainerState.Waiting, false, 0, "PodInitializing"), cs("side", ContainerState.Waiting, false, 0, "PodInitializing")),
                List.of(cs("setup", ContainerState.Running, false, 0, "Started")));
        String table = GetCommand.podsTable(view, T0.plusSeconds(3));
        assertThat(table).contains("0/2").contains("Init:0/1");

        status(4, ContainerState.Running, "Started", false,
                List.of(cs("web", ContainerState.Running, false, 0, "Started"), cs("side", ContainerState.Running, true, 0, "Started")),
                List.of(cs("setup", ContainerState.Exited, true, 0, "Completed")));
        assertThat(GetCommand.podsTable(view, T0.plusSeconds(5))).contains("1/2").contains("Running");
        running(6, 2);
        String wide = GetCommand.podsTable(view, T0.plusSeconds(7), true, Selection.ALL, false, GetCommand.DEFAULT_NAMESPACE);
        assertThat(wide).contains("2/2").contains("busybox,alpine");
        assertThat(wide.lines().filter(l -> l.startsWith("shop-abcde")).findFirst().orElseThrow()).as("RESTARTS sums them")
                .matches(".*Running\\s+2\\s.*");
    }

    @Test
    void jsonListsEveryContainerAndItsStatus() throws Exception {
        placed();
        running(3, 1);
        JsonNode pod = dev.berth.bus.Json.MAPPER.readTree(KubeObjects.json(KubeObjects.pods(view, Selection.named("shop-abcde"))));
        assertThat(pod.at("/spec/containers/0/name").asText()).isEqualTo("web");
        assertThat(pod.at("/spec/containers/1/image").asText()).isEqualTo("alpine");
        assertThat(pod.at("/spec/containers/1/resources/limits/memory").asText()).isEqualTo("16Mi");
        assertThat(pod.at("/spec/initContainers/0/name").asText()).isEqualTo("setup");
        assertThat(pod.at("/status/containerStatuses")).hasSize(2);
        assertThat(pod.at("/status/containerStatuses/1/name").asText()).isEqualTo("side");
        assertThat(pod.at("/status/containerStatuses/1/restartCount").asInt()).isEqualTo(1);
        assertThat(pod.at("/status/containerStatuses/1/imageID").asText()).startsWith("busybox@sha256:");
        assertThat(pod.at("/status/containerStatuses/0/state/running").isObject()).isTrue();
        assertThat(pod.at("/status/initContainerStatuses/0/state/terminated/reason").asText()).isEqualTo("Completed");
    }

    @Test
    void describeListsInitContainersAndContainersEachWithItsState() throws Exception {
        placed();
        running(3, 1);
        String out = PodDescription.describe("shop-abcde", log, T0.plusSeconds(10));
        assertThat(out).contains("Init Containers:").contains("  setup:").contains("Containers:").contains("  web:").contains("  side:");
        assertThat(out.substring(out.indexOf("  side:"))).contains("alpine").contains("Restart Count:").contains("1");
        assertThat(out.substring(out.indexOf("  setup:"), out.indexOf("\nContainers:"))).contains("Completed");
    }

    @Test
    void logsPicksTheContainerWithDashCAndDefaultsToTheFirstWithKubectlsNote() throws Exception {
        placed();
        running(3, 1);
        List<Envelope> records = new ArrayList<>();
        for (var c : List.of(new Object[] {"web", 0, "GET /"}, new Object[] {"side", 1, "fetched"}, new Object[] {"side", 0, "old run"})) {
            records.add(Envelope.spontaneous(new ContainerLogs("shop-abcde", null, "node-1", (String) c[0], (int) c[1],
                    List.of(new LogLine(T0.plusSeconds(5), LogLine.STDOUT, (String) c[2])), 0), "node-agent/node-1", T0.plusSeconds(5)));
        }
        LogsCommand.Choice side = LogsCommand.choose(view, "default", "shop-abcde", "side", false);
        assertThat(side.restartCount()).as("side's own run").isEqualTo(1);
        assertThat(LogsCommand.render(records, side, LogsCommand.Shape.ALL)).containsExactly("fetched");
        LogsCommand.Choice previous = LogsCommand.choose(view, "default", "shop-abcde", "side", true);
        assertThat(LogsCommand.render(records, previous, LogsCommand.Shape.ALL)).containsExactly("old run");

        LogsCommand.Choice defaulted = LogsCommand.choose(view, "default", "shop-abcde", null, false);
        assertThat(defaulted.container()).isEqualTo("web");
        assertThat(defaulted.note()).isEqualTo("Defaulted container \"web\" out of: web, side, setup (init)");
        assertThat(LogsCommand.render(records, defaulted, LogsCommand.Shape.ALL)).containsExactly("GET /");
        assertThat(LogsCommand.choose(view, "default", "shop-abcde", "setup", false).error()).isNull();
        assertThat(LogsCommand.choose(view, "default", "shop-abcde", "nope", false).error())
                .isEqualTo("error: container nope is not valid for pod shop-abcde");
    }
}
