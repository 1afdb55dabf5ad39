package dev.berth.bus.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.BadRecordException;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import dev.berth.bus.Validation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests and limits apart, extended resources, and records from before they were apart. */
class ResourceRequirementsTest {
    static final long MI = Samples.MI;
    static final String OLD_TEMPLATE = "{\"image\":\"busybox\",\"resources\":{\"cpuMillis\":250,\"memoryBytes\":67108864},"
            + "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":10}";

    static ResourceRequirements of(ResourceList requests, ResourceList limits) { return new ResourceRequirements(requests, limits); }

    @Test
    void anOldFlatRecordReadsAsRequestAndLimit() throws Exception {
        PodTemplate t = Json.MAPPER.readValue(OLD_TEMPLATE, PodTemplate.class);

        assertThat(t.resources().requests()).isEqualTo(ResourceList.of(250, 64 * MI));
        assertThat(t.resources().limits()).isEqualTo(ResourceList.of(250, 64 * MI));
        assertThat(t.resources().requested()).isEqualTo(new Resources(250, 64 * MI));
    }

    @Test
    void anOldFlatRecordPassesTheSchemaAndTheValidator() throws Exception {
        String env = "{\"id\":\"1\",\"type\":\"PodCreated\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"old\","
                + "\"data\":{\"pod\":\"web-7d4kq\",\"deployment\":\"web\",\"generation\":1,\"template\":" + OLD_TEMPLATE + "}}";

        Envelope e = Json.decodeValidated(env);

        assertThat(Validation.problems(e)).isEmpty();
        assertThat(((PodCreated) e.data()).template().resources()).isEqualTo(ResourceRequirements.of(new Resources(250, 64 * MI)));
        assertThat(Json.decode(env).data()).isEqualTo(e.data());
    }

    @Test
    void oldConstructorsMeanRequestEqualsLimit() {
        PodTemplate t = Samples.template();

        assertThat(t.resources().requests()).isEqualTo(t.resources().limits()).isEqualTo(ResourceList.of(250, 64 * MI));
    }

    @Test
    void theNewShapeRoundTripsAndLeavesUnsetResourcesOut() throws Exception {
        PodTemplate t = Samples.template().withResources(of(new ResourceList(100L, null, null), new ResourceList(null, 64 * MI, Map.of("nvidia.com/gpu", 1L))));

        String json = Json.write(t);

        assertThat(json).contains("\"resources\":{\"requests\":{\"cpuMillis\":100},\"limits\":{\"memoryBytes\":67108864,\"extended\":{\"nvidia.com/gpu\":1}}}");
        assertThat(Json.MAPPER.readValue(json, PodTemplate.class)).isEqualTo(t);
    }

    @Test
    void aTemplateWithoutResourcesHasNone() throws Exception {
        PodTemplate t = Json.MAPPER.readValue("{\"image\":\"busybox\"}", PodTemplate.class);

        assertThat(t.resources()).isEqualTo(ResourceRequirements.NONE);
        assertThat(t.resources().requested()).isEqualTo(Resources.ZERO);
        assertThat(Validation.problems(new PodCreated("web-7d4kq", "web", 1, t))).isEmpty();
    }

    @Test
    void aMissingRequestDefaultsToTheLimitAndNeitherIsZero() {
        var r = of(new ResourceList(null, 32 * MI, Map.of("example.com/foo", 2L)), new ResourceList(500L, 64 * MI, Map.of("nvidia.com/gpu", 1L)));

        assertThat(r.requested()).isEqualTo(new Resources(500, 32 * MI, Map.of("nvidia.com/gpu", 1L, "example.com/foo", 2L)));
        assertThat(ResourceRequirements.NONE.requested()).isEqualTo(Resources.ZERO);
        assertThat(r.effectiveRequests()).isEqualTo(new ResourceList(500L, 32 * MI, Map.of("nvidia.com/gpu", 1L, "example.com/foo", 2L)));
        assertThat(of(new ResourceList(100L, null, null), ResourceList.NONE).effectiveRequests()).isEqualTo(new ResourceList(100L, null, null));
    }

    @Test
    void resourcesAddAndSubtractExtendedCountsAndForgetZeros() {
        Resources a = new Resources(100, MI, Map.of("nvidia.com/gpu", 1L));
        Resources b = new Resources(200, 2 * MI, Map.of("nvidia.com/gpu", 2L, "example.com/foo", 1L));

        assertThat(a.plus(b)).isEqualTo(new Resources(300, 3 * MI, Map.of("nvidia.com/gpu", 3L, "example.com/foo", 1L)));
        assertThat(a.plus(b).minus(b)).isEqualTo(a);
        assertThat(a.minus(a)).isEqualTo(Resources.ZERO);
        assertThat(a.extended("nvidia.com/gpu")).isEqualTo(1);
        assertThat(a.extended("example.com/foo")).isZero();
    }

    @Test
    void nodeResourcesCarryExtendedOnesAndOlderHeartbeatsHaveNone() throws Exception {
        NodeResources n = Json.MAPPER.readValue("{\"cpuMillis\":1000,\"memoryBytes\":1024,\"pods\":10}", NodeResources.class);

        assertThat(n.extended()).isEmpty();
        assertThat(Json.write(n)).doesNotContain("extended");
        NodeResources gpu = n.withExtended(Map.of("nvidia.com/gpu", 2L));
        assertThat(Json.MAPPER.readValue(Json.write(gpu), NodeResources.class)).isEqualTo(gpu);
        assertThat(gpu.resources().extended("nvidia.com/gpu")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "nvidia.com/", "/gpu", "Nvidia.com/gpu", "nvidia.com/gpu/x", "nvidia.com/-gpu", "cpu"})
    void extendedResourceNamesNeedADomain(String name) {
        PodTemplate t = Samples.template().withResources(of(ResourceList.NONE, new ResourceList(null, null, Map.of(name, 1L))));

        assertThat(Validation.problems(new PodCreated("web-7d4kq", "web", 1, t)))
                .singleElement().asString().startsWith("/template/resources/limits/extended: '" + name + "' is not an extended resource name");
        assertThat(schemaProblems(t)).isNotEmpty();
    }

    @Test
    void quantitiesAreBoundedAndNonNegative() {
        PodTemplate t = Samples.template().withResources(of(new ResourceList(-1L, (1L << 50) + 1, Map.of("nvidia.com/gpu", -1L)),
                new ResourceList(1_000_000_001L, null, Map.of("example.com/foo", 1_000_000_001L))));

        assertThat(Validation.problems(new PodCreated("web-7d4kq", "web", 1, t))).containsExactlyInAnyOrder(
                "/template/resources/requests/cpuMillis: must be between 0 and 1000000000, got -1",
                "/template/resources/requests/memoryBytes: must be between 0 and 1125899906842624, got 1125899906842625",
                "/template/resources/requests/extended/nvidia.com/gpu: must be between 0 and 1000000000, got -1",
                "/template/resources/limits/cpuMillis: must be between 0 and 1000000000, got 1000000001",
                "/template/resources/limits/extended/example.com/foo: must be between 0 and 1000000000, got 1000000001");
        assertThat(schemaProblems(t)).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void atMost32ExtendedResources() {
        Map<String, Long> many = new java.util.HashMap<>();
        for (int i = 0; i < 33; i++) many.put("example.com/r" + i, 1L);
        PodTemplate t = Samples.template().withResources(of(ResourceList.NONE, new ResourceList(null, null, many)));
        NodeResources node = new NodeResources(1, 1, 1, many);

        assertThat(Validation.problems(new PodCreated("web-7d4kq", "web", 1, t)))
                .containsExactly("/template/resources/limits/extended: has 33 entries, at most 32 are allowed");
        assertThat(Validation.problems(new NodeHeartbeat("node-1", node, node, List.of(), List.of(), 1, Instant.EPOCH)))
                .contains("/capacity/extended: has 33 entries, at most 32 are allowed");
        assertThat(schemaProblems(t)).isNotEmpty();
    }

    @Test
    void aHeartbeatsExtendedResourcesAreChecked() {
        NodeResources node = new NodeResources(1, 1, 1, Map.of("gpu", 1L));

        assertThat(Validation.problems(new NodeHeartbeat("node-1", node, node, List.of(), List.of(), 1, Instant.EPOCH)))
                .anySatisfy(p -> assertThat(p).startsWith("/capacity/extended: 'gpu' is not an extended resource name"));
    }

    /** What the JSON Schema says of a PodCreated carrying {@code t}. */
    static List<String> schemaProblems(PodTemplate t) {
        ObjectNode env = (ObjectNode) Json.toTree(Envelope.command(new PodCreated("web-7d4kq", "web", 1, t), "t", Instant.EPOCH));
        try {
            Json.decodeValidated(env.toString());
            return List.of();
        } catch (BadRecordException e) {
            return e.problems();
        }
    }

    @Test
    void theSchemaRefusesUnknownResourceFields() {
        ObjectNode env = (ObjectNode) Json.toTree(Envelope.command(new PodCreated("web-7d4kq", "web", 1, Samples.template()), "t", Instant.EPOCH));
        ((ObjectNode) env.at("/data/template/containers/0/resources/requests")).put("gpus", 1);

        assertThatThrownBy(() -> Json.decodeValidated(env.toString())).isInstanceOf(BadRecordException.class);
    }
}
