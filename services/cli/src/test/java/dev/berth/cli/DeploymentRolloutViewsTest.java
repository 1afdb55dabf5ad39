package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentCondition;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStatusChanged;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** get deployments, -o yaml|json and describe deployment over folded rollout events: the controller's status, else the pods. */
class DeploymentRolloutViewsTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    final ClusterView view = new ClusterView();

    void at(int second, Payload p) { view.apply(Envelope.spontaneous(p, "test", T0.plusSeconds(second))); }

    static PodTemplate template(String image) { return Rollouts.withImage(Samples.template().withLabels(Map.of("app", "web")), image); }

    static DeploymentSpec web(String image) {
        return new DeploymentSpec("web", 3, template(image), Map.of("team", "shop"), dev.berth.bus.contract.Selector.matching(Map.of("app", "web")), null);
    }

    static DeploymentCondition condition(String type, String status, String reason) {
        return new DeploymentCondition(type, status, reason, reason + " message", T0, T0);
    }

    static DeploymentStatusChanged status(long generation, long revision, int replicas, int updated, int ready, int available, String progressing) {
        return new DeploymentStatusChanged("web", null, generation, revision, replicas, updated, ready, available, Math.max(0, 3 - available),
                List.of(condition(DeploymentCondition.AVAILABLE, available >= 2 ? "True" : "False", available >= 2 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"),
                        condition(DeploymentCondition.PROGRESSING, progressing.equals("ProgressDeadlineExceeded") ? "False" : "True", progressing)));
    }

    String table(boolean wide) {
        return GetCommand.render(view, GetCommand.Kind.deployments, wide ? GetCommand.Output.wide : GetCommand.Output.table, null, T0.plusSeconds(30), true);
    }

    @Test
    void getShowsKubectlsColumnsFromTheControllersStatus() {
        at(0, new DeploymentApplied(web("nginx:1.25"), 1, 1));
        at(1, status(1, 1, 3, 3, 3, 3, "NewReplicaSetAvailable"));
        at(2, new DeploymentApplied(web("nginx:1.26"), 2, 2));
        at(3, status(2, 2, 4, 1, 3, 3, "ReplicaSetUpdated"));

        List<String> lines = table(false).lines().toList();
        assertThat(lines.get(0)).matches("NAME +READY +UP-TO-DATE +AVAILABLE +AGE +IMAGE +CPU +MEMORY");
        assertThat(lines.get(1)).matches("web +3/3 +1 +3 +30s +nginx:1.26 +250m +64Mi");
        List<String> wide = table(true).lines().toList();
        assertThat(wide.get(0)).matches("NAME +READY +UP-TO-DATE +AVAILABLE +AGE +CPU +MEMORY +CONTAINERS +IMAGES +SELECTOR");
        assertThat(wide.get(1)).matches("web +3/3 +1 +3 +30s +250m +64Mi +web +nginx:1.26 +app=web");
    }

    @Test
    void withoutAStatusTheCountsComeFromThePodsAsBefore() {
        at(0, new DeploymentApplied(web("nginx:1.25"), 1, 1));
        pod(1, "web-a", "nginx:1.25", 1, true);
        pod(2, "web-b", "nginx:1.25", 1, false);
        at(3, new DeploymentApplied(web("nginx:1.26"), 2, 2));
        pod(4, "web-c", "nginx:1.26", 2, true);

        assertThat(table(false).lines().toList().get(1)).matches("web +2/3 +1 +2 +30s .*");
        ClusterView.Counts c = view.counts(view.deployment("web"));
        assertThat(c).isEqualTo(new ClusterView.Counts(2, 3, 1, 2, 2, 1, List.of(), false));
    }

    void pod(int second, String name, String image, long revision, boolean running) {
        PodTemplate t = template(image);
        at(second, new PodCreated(name, "web", revision, t, null, revision));
        at(second, new PodPlaced(name, "node-1", "web", t, 1, Map.of(), List.of()));
        if (running) at(second, new PodStatusChanged(name, "node-1", ContainerState.Running, null, "Started", "", 0));
    }

    @Test
    void yamlCarriesTheRolloutFieldsAnnotationsAndStatus() throws Exception {
        DeploymentSpec d = web("nginx:1.25").withRollout(new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "0"), 5, 120, 3, true))
                .withAnnotations(Map.of(DeploymentSpec.CHANGE_CAUSE, "first"))
                .withTemplate(template("nginx:1.25").withAnnotations(Map.of(Rollouts.RESTARTED_AT, "2026-11-27T10:00:00Z")));
        at(0, new DeploymentApplied(d, 4, 2));
        at(1, status(4, 2, 3, 3, 3, 2, "DeploymentPaused"));

        JsonNode o = YAML.readTree(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.yaml, "web", T0, true));
        assertThat(o.at("/metadata/annotations")).isEqualTo(Json.MAPPER.readTree(
                "{\"deployment.kubernetes.io/revision\":\"2\",\"kubernetes.io/change-cause\":\"first\"}"));
        assertThat(o.at("/spec/strategy")).isEqualTo(Json.MAPPER.readTree(
                "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}"));
        assertThat(o.at("/spec/minReadySeconds").asInt()).isEqualTo(5);
        assertThat(o.at("/spec/progressDeadlineSeconds").asInt()).isEqualTo(120);
        assertThat(o.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(3);
        assertThat(o.at("/spec/paused").asBoolean()).isTrue();
        assertThat(o.at("/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt").asText()).isEqualTo("2026-11-27T10:00:00Z");
        JsonNode status = o.at("/status");
        assertThat(List.of(status.at("/observedGeneration").asInt(), status.at("/replicas").asInt(), status.at("/updatedReplicas").asInt(),
                status.at("/readyReplicas").asInt(), status.at("/availableReplicas").asInt(), status.at("/unavailableReplicas").asInt()))
                .containsExactly(4, 3, 3, 3, 2, 1);
        assertThat(status.at("/conditions/1/type").asText()).isEqualTo("Progressing");
        assertThat(status.at("/conditions/1/reason").asText()).isEqualTo("DeploymentPaused");
        assertThat(status.at("/conditions/1/lastUpdateTime").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(status.has("phase")).isFalse();

        JsonNode json = Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.json, "web", T0, true));
        assertThat(json.at("/spec/strategy/rollingUpdate/maxSurge").isInt()).isTrue();
        assertThat(json.at("/status/conditions/0/reason").asText()).isEqualTo("MinimumReplicasAvailable");
    }

    @Test
    void recreateHasNoRollingUpdateAndPercentagesStayStrings() throws Exception {
        at(0, new DeploymentApplied(web("a").withRollout(new DeploymentSpec.Rollout(DeploymentStrategy.recreate(), 0, null, null, false)), 1, 1));
        JsonNode o = Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.json, "web", T0, true));
        assertThat(o.at("/spec/strategy").toString()).isEqualTo("{\"type\":\"Recreate\"}");
        assertThat(o.at("/spec/paused").isMissingNode()).isTrue();
        at(1, new DeploymentApplied(web("a"), 2, 1));
        o = Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.deployments, GetCommand.Output.json, "web", T0, true));
        assertThat(o.at("/spec/strategy/rollingUpdate").toString()).isEqualTo("{\"maxSurge\":\"25%\",\"maxUnavailable\":\"25%\"}");
        assertThat(o.at("/status/phase").asText()).as("no status yet: Berth's summary").isEqualTo("Progressing");
    }

    @Test
    void describeShowsStrategyConditionsRevisionAndEvents() {
        at(0, new DeploymentApplied(web("nginx:1.25").withAnnotations(Map.of(DeploymentSpec.CHANGE_CAUSE, "first")), 1, 1));
        at(1, status(1, 1, 3, 3, 3, 3, "NewReplicaSetAvailable"));
        at(10, new DeploymentApplied(web("nginx:1.26").withTemplate(template("nginx:1.26")
                .withHealthProbes(new dev.berth.bus.contract.Probe(null, new dev.berth.bus.contract.Probe.TcpSocket(80, null, null), null, 0, 0, 0, 0, 0), null)), 2, 2));
        at(11, status(2, 2, 4, 1, 3, 3, "ReplicaSetUpdated"));
        at(20, status(2, 2, 4, 1, 3, 3, "ProgressDeadlineExceeded"));

        String d = DeploymentDescription.describe(view, "default", "web", T0.plusSeconds(60));
        assertThat(d).startsWith("Name:                   web\nNamespace:              default\n")
                .contains("CreationTimestamp:      2026-11-27T10:00:00Z\n")
                .contains("Labels:                 team=shop\n")
                .contains("Annotations:            deployment.kubernetes.io/revision: 2\n")
                .contains("Selector:               app=web\n")
                .contains("Replicas:               3 desired | 1 updated | 4 total | 3 available | 0 unavailable\n")
                .contains("StrategyType:           RollingUpdate\n")
                .contains("MinReadySeconds:        0\n")
                .contains("RollingUpdateStrategy:  25% max unavailable, 25% max surge\n")
                .contains("Pod Template:\n  Labels:       app=web\n")
                .contains("  Containers:\n   web:\n    Image:        nginx:1.26\n")
                .contains("    Liveness:     tcp-socket :80 delay=0s timeout=1s period=10s #success=1 #failure=3\n")
                .contains("Conditions:\n  Type          Status   Reason\n  ----          ------   ------\n"
                        + "  Available     True     MinimumReplicasAvailable\n  Progressing   False    ProgressDeadlineExceeded\n")
                .contains("Revision:               2 (1/3 replicas updated)\n")
                .containsPattern("Events:\n  Type +Reason +Age +From +Message\n")
                .containsPattern("Normal +ScalingReplicaSet +50s +deployment-controller +Rolling out revision 2 \\(image nginx:1.26\\)")
                .containsPattern("Warning +ProgressDeadlineExceeded +40s +deployment-controller +ProgressDeadlineExceeded message");
        assertThat(DeploymentDescription.describe(view, "shop", "web", T0)).isNull();
    }

    @Test
    void describeBeforeAnyStatusComputesFromPodsAndSaysNone() {
        at(0, new DeploymentApplied(web("nginx:1.25").withRollout(new DeploymentSpec.Rollout(DeploymentStrategy.recreate(), 0, null, null, true)), 1));
        String d = DeploymentDescription.describe(view, "default", "web", T0);
        assertThat(d).contains("Replicas:               3 desired | 0 updated | 0 total | 0 available | 3 unavailable\n")
                .contains("StrategyType:           Recreate\n").doesNotContain("RollingUpdateStrategy")
                .contains("Paused:                 true\n")
                .contains("Conditions:             <none>\n").contains("Revision:               <unknown>\n").contains("Events:                 <none>\n");
    }

    @Test
    void eventsSayTheRevisionAndTheStatus() {
        assertThat(EventText.message(new DeploymentApplied(web("nginx:1.26"), 2, 2))).isEqualTo("desired: 3 replicas, generation 2, revision 2 (nginx:1.26)");
        assertThat(EventText.message(new DeploymentApplied(web("nginx:1.26"), 2))).isEqualTo("desired: 3 replicas, generation 2");
        assertThat(EventText.message(status(2, 2, 4, 1, 3, 3, "ReplicaSetUpdated"))).isEqualTo("1 updated, 3 available of 4 pods (revision 2): ReplicaSetUpdated");
        assertThat(EventText.object(status(2, 2, 4, 1, 3, 3, "ReplicaSetUpdated"))).isEqualTo("deployment/web");
    }
}
