package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth get} prints what kubectl users expect: -o json|yaml|wide|name, one object by NAME, errors for the rest. */
class GetOutputTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    final ClusterView view = new ClusterView();
    final List<Envelope> log = new ArrayList<>();

    void at(int second, Payload p) {
        Envelope e = Envelope.spontaneous(p, "test", T0.plusSeconds(second));
        log.add(e);
        view.apply(e);
    }

    static final PodTemplate WEB = Samples.template().withLabels(Map.of("app", "web"));

    void cluster() {
        at(0, new DeploymentApplied(new DeploymentSpec("web", 2, WEB, Map.of("team", "shop"), Selector.matching(Map.of("app", "web"))), 1));
        at(1, new PodCreated("web-a", "web", 1, WEB));
        at(1, new PodCreated("web-b", "web", 1, WEB));
        at(2, new PodPlaced("web-a", "node-1", "web", WEB, 1, Map.of(), List.of()));
        at(3, new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "pid 7", 0));
        at(3, new PodUnschedulable("web-b", "web", "0/1 nodes available: 1 Insufficient memory.", 1, Map.of("Insufficient memory", 1)));
        at(4, Samples.of(NodeHeartbeat.class));
    }

    @Test
    void podJsonHasTheFieldsKubectlPrints() throws Exception {
        cluster();
        JsonNode pod = Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.json, "web-a", T0, true));

        assertThat(pod.path("kind").asText()).as("one object asked for by name is printed alone").isEqualTo("Pod");
        assertThat(pod.at("/metadata/namespace").asText()).isEqualTo("default");
        assertThat(pod.at("/metadata/labels/app").asText()).isEqualTo("web");
        assertThat(pod.at("/spec/nodeName").asText()).isEqualTo("node-1");
        assertThat(pod.at("/spec/containers/0/image").asText()).isEqualTo("busybox");
        assertThat(pod.at("/status/phase").asText()).isEqualTo("Running");
        assertThat(pod.at("/status/startTime").asText()).isEqualTo(T0.plusSeconds(3).toString());
        assertThat(pod.at("/status/containerStatuses/0/state/running/startedAt").asText()).isEqualTo(T0.plusSeconds(3).toString());
        assertThat(pod.at("/status/containerStatuses/0/restartCount").asInt()).isZero();
        assertThat(pod.at("/status/containerStatuses/0/image").asText()).isEqualTo("busybox");
        assertThat(pod.at("/status/conditions")).extracting(c -> c.path("type").asText() + "=" + c.path("status").asText())
                .containsExactly("PodScheduled=True", "Initialized=True", "ContainersReady=True", "Ready=True");

        JsonNode pending = Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.json, "web-b", T0, true));
        assertThat(pending.at("/status/phase").asText()).isEqualTo("Pending");
        assertThat(pending.at("/status/conditions/0/reason").asText()).isEqualTo("Unschedulable");
        assertThat(pending.at("/status/containerStatuses").isMissingNode()).isTrue();
    }

    @Test
    void yamlIsTheSameObjectsAsJson() throws Exception {
        cluster();
        for (GetCommand.Kind kind : List.of(GetCommand.Kind.pods, GetCommand.Kind.nodes, GetCommand.Kind.deployments)) {
            JsonNode json = Json.MAPPER.readTree(GetCommand.render(view, kind, GetCommand.Output.json, null, T0, true));
            String yaml = GetCommand.render(view, kind, GetCommand.Output.yaml, null, T0, true);
            assertThat(yaml).doesNotStartWith("---");
            assertThat(YAML.readTree(yaml)).as(kind.name()).isEqualTo(json);
            assertThat(json.path("kind").asText()).isEqualTo("List");
        }
    }

    @Test
    void thePodIpPortsAndTheNodesPodCidrAreShownAsKubectlShowsThem() throws Exception {
        PodTemplate t = Samples.template().withPorts(List.of(new ContainerPort(80, "http", "TCP", 8080), new ContainerPort(53, null, "UDP", 0)));
        at(0, new DeploymentApplied(new DeploymentSpec("web", 1, t), 1));
        at(1, new PodCreated("web-a", "web", 1, t));
        at(2, new PodPlaced("web-a", "node-1", "web", t, 1, Map.of(), List.of()));
        at(3, new NodeStatusChanged("node-1", NodeCondition.Ready, false, "heartbeats received", T0, "10.244.1.0/24"));
        at(4, new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "pid 7", 0, null, "10.244.1.2"));
        at(5, new NodeStatusChanged("node-1", NodeCondition.Ready, true, "cordoned by an operator", T0, "10.244.1.0/24"));

        String wide = GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.wide, null, T0.plusSeconds(10), true);
        List<String> lines = wide.lines().toList();
        assertThat(lines.get(0)).matches("NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +IMAGE +MESSAGE");
        assertThat(lines.get(1)).matches("web-a +1/1 +Running +0 +9s +10\\.244\\.1\\.2 +node-1 +busybox +pid 7");

        JsonNode pod = Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.json, "web-a", T0, true));
        assertThat(pod.at("/status/podIP").asText()).isEqualTo("10.244.1.2");
        assertThat(pod.at("/status/podIPs/0/ip").asText()).isEqualTo("10.244.1.2");
        assertThat(pod.at("/spec/containers/0/ports").toString())
                .isEqualTo("[{\"containerPort\":80,\"hostPort\":8080,\"name\":\"http\",\"protocol\":\"TCP\"},{\"containerPort\":53,\"protocol\":\"UDP\"}]");

        JsonNode node = YAML.readTree(GetCommand.render(view, GetCommand.Kind.nodes, GetCommand.Output.yaml, "node-1", T0, true));
        assertThat(node.at("/spec/podCIDR").asText()).isEqualTo("10.244.1.0/24");
        assertThat(node.at("/spec/podCIDRs/0").asText()).isEqualTo("10.244.1.0/24");
        String nodesWide = GetCommand.render(view, GetCommand.Kind.nodes, GetCommand.Output.wide, null, T0, true);
        assertThat(nodesWide.lines().findFirst().orElseThrow()).endsWith("POD-CIDR");
        assertThat(nodesWide).contains("10.244.1.0/24");

        at(6, new PodStatusChanged("web-a", "node-1", ContainerState.Stopped, 0, "Deleted", "container removed", 0));
        assertThat(GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.wide, null, T0.plusSeconds(10), true)).doesNotContain("10.244.1.2");
    }

    @Test
    void nameWideAndRowsForAWatch() {
        cluster();
        assertThat(GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.name, null, T0, true)).isEqualTo("pod/web-a\npod/web-b\n");
        assertThat(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.name, null, T0, true)).isEqualTo("deployment.apps/web\n");
        String wide = GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.wide, null, T0.plusSeconds(10), true);
        assertThat(wide.lines().findFirst().orElseThrow()).contains("IP").contains("NODE").contains("IMAGE");
        assertThat(wide).contains("busybox");
        String row = GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.table, "web-a", T0.plusSeconds(10), false);
        assertThat(row.lines().toList()).hasSize(1).first().asString().startsWith("web-a").contains("Running");
    }

    @Test
    void anUnknownOutputFormatAndAMissingObjectAreErrors(@TempDir Path dir) throws Exception {
        cluster();
        CliRun bad = CliRun.berth("127.0.0.1:1", "get", "pods", "-o", "xml");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("unable to match a printer suitable for the output format \"xml\", allowed formats are: json,name,wide,yaml");

        Path export = dir.resolve("log.jsonl");
        List<String> lines = new ArrayList<>(List.of("{\"berthLog\":1}"));
        long offset = 0;
        for (Envelope e : log) {
            var topic = dev.berth.bus.Topic.of(e.data());
            lines.add(Json.object().put("topic", topic.topicName()).put("partition", 0).put("offset", offset++)
                    .put("timestamp", e.time().toEpochMilli()).put("key", topic.keyOf(e.data())).put("value", Json.encode(e)).toString());
        }
        Files.write(export, lines);
        CliRun missing = CliRun.berth("127.0.0.1:1", "get", "pods", "nope", "--from-file", export.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("Error from server (NotFound): pods \"nope\" not found");
        CliRun one = CliRun.berth("127.0.0.1:1", "get", "pod", "web-a", "-o", "name", "--from-file", export.toString());
        assertThat(one.out()).isEqualTo("pod/web-a\n");
    }
}
