package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests and limits (and extended resources) as kubectl shows them: describe pod, -o json, node capacity, berth up. */
class ResourcesOutputTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final long MI = Samples.MI;
    final ClusterView view = new ClusterView();
    final List<Envelope> log = new ArrayList<>();

    void at(int second, Payload p) {
        Envelope e = Envelope.spontaneous(p, "test", T0.plusSeconds(second));
        log.add(e);
        view.apply(e);
    }

    static PodTemplate template(ResourceRequirements r) { return Samples.template().withResources(r); }

    void pod(String name, PodTemplate t) {
        at(0, new DeploymentApplied(new DeploymentSpec("web", 1, t), 1));
        at(1, new PodCreated(name, "web", 1, t));
        at(2, new PodPlaced(name, "node-1", "web", t, 1, Map.of(), List.of()));
    }

    JsonNode podJson(String name) throws Exception {
        return Json.MAPPER.readTree(GetCommand.render(view, GetCommand.Kind.pods, GetCommand.Output.json, name, T0, true));
    }

    @Test
    void describeShowsLimitsAndRequestsAfterDefaulting() {
        pod("web-a", template(new ResourceRequirements(new ResourceList(100L, null, null),
                new ResourceList(500L, 128 * MI, Map.of("nvidia.com/gpu", 1L)))));

        String d = PodDescription.describe("web-a", log, T0.plusSeconds(10));

        assertThat(d).contains("  Limits:         cpu: 500m, memory: 128Mi, nvidia.com/gpu: 1\n")
                .contains("  Requests:       cpu: 100m, memory: 128Mi, nvidia.com/gpu: 1\n");
    }

    @Test
    void describeShowsNeitherForAPodWithoutResources() {
        pod("web-a", template(ResourceRequirements.NONE));

        assertThat(PodDescription.describe("web-a", log, T0.plusSeconds(10))).doesNotContain("Limits:").doesNotContain("Requests:");
    }

    @Test
    void podJsonCarriesRequestsAndLimits() throws Exception {
        pod("web-a", template(new ResourceRequirements(ResourceList.of(100, 32 * MI),
                new ResourceList(250L, null, Map.of("example.com/foo", 2L)))));

        JsonNode r = podJson("web-a").at("/spec/containers/0/resources");

        assertThat(r.at("/requests/cpu").asText()).isEqualTo("100m");
        assertThat(r.at("/requests/memory").asText()).isEqualTo("32Mi");
        assertThat(r.at("/requests/example.com~1foo").asText()).as("defaulted from the limit").isEqualTo("2");
        assertThat(r.at("/limits/cpu").asText()).isEqualTo("250m");
        assertThat(r.at("/limits/memory").isMissingNode()).isTrue();
        assertThat(r.at("/limits/example.com~1foo").asText()).isEqualTo("2");
    }

    @Test
    void aPodWithoutResourcesHasAnEmptyResourcesObject() throws Exception {
        pod("web-a", template(ResourceRequirements.NONE));

        JsonNode r = podJson("web-a").at("/spec/containers/0/resources");
        assertThat(r.isObject()).isTrue();
        assertThat(r.size()).isZero();
        assertThat(GetCommand.deploymentsTable(view, T0)).contains("<none>");
    }

    @Test
    void nodesShowTheirExtendedResources() throws Exception {
        at(0, Samples.of(NodeHeartbeat.class));

        JsonNode node = Json.MAPPER.readTree(GetCommand.nodesJson(view, T0)).at("/items/0/status");
        assertThat(node.at("/capacity/nvidia.com~1gpu").asText()).isEqualTo("2");
        assertThat(node.at("/allocatable/nvidia.com~1gpu").asText()).isEqualTo("1");
    }

    @Test
    void upTakesExtendedResourcesForEveryNodeOrOne() {
        NodeMarks marks = NodeMarks.parse(List.of(), List.of(), List.of("nvidia.com/gpu=1", "node-2=nvidia.com/gpu=4", "node-2=example.com/foo=3"));

        assertThat(marks.extendedOf("node-1")).isEqualTo(Map.of("nvidia.com/gpu", 1L));
        assertThat(marks.extendedOf("node-2")).isEqualTo(Map.of("nvidia.com/gpu", 4L, "example.com/foo", 3L));
        assertThat(marks.nodes()).containsExactly("node-2");
        assertThat(marks.describe("node-2")).isEqualTo(" (example.com/foo: 3, nvidia.com/gpu: 4)");
        assertThatThrownBy(() -> NodeMarks.parse(List.of(), List.of(), List.of("node-1=gpu=2")))
                .hasMessageStartingWith("--extended-resource: extended resource 'gpu=2'");
    }
}
