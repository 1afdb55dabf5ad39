package dev.berth.bus.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.BadRecordException;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Taints, tolerations, node selectors and labels: their matching rules and what the schemas accept. */
class PlacementConstraintsTest {
    static final Taint GPU = new Taint("dedicated", "gpu", "NoSchedule");

    @Test
    void equalMatchesKeyAndValue() {
        assertThat(new Toleration("dedicated", "Equal", "gpu", "NoSchedule").tolerates(GPU)).isTrue();
        assertThat(new Toleration("dedicated", null, "gpu", null).tolerates(GPU)).as("Equal is the default; no effect: any").isTrue();
        assertThat(new Toleration("dedicated", "Equal", "tpu", "NoSchedule").tolerates(GPU)).isFalse();
        assertThat(new Toleration("other", "Equal", "gpu", "NoSchedule").tolerates(GPU)).isFalse();
    }

    @Test
    void existsMatchesAnyValueOfTheKeyAndWithoutKeyEveryTaint() {
        assertThat(new Toleration("dedicated", "Exists", null, null).tolerates(GPU)).isTrue();
        assertThat(new Toleration("other", "Exists", null, null).tolerates(GPU)).isFalse();
        assertThat(new Toleration(null, "Exists", null, null).tolerates(GPU)).isTrue();
        assertThat(new Toleration(null, "Equal", null, null).tolerates(GPU)).as("Equal needs a key").isFalse();
    }

    @Test
    void aTaintWithoutValueIsMatchedByAnEmptyValue() {
        Taint bare = new Taint("maintenance", null, null);
        assertThat(bare).isEqualTo(new Taint("maintenance", "", "NoSchedule"));
        assertThat(new Toleration("maintenance", "Equal", null, null).tolerates(bare)).isTrue();
        assertThat(bare).hasToString("maintenance:NoSchedule");
        assertThat(GPU).hasToString("dedicated=gpu:NoSchedule");
    }

    @Test
    void oldConstructorsMeanNoConstraints() {
        PodTemplate t = Samples.template();
        assertThat(t.nodeSelector()).isEmpty();
        assertThat(t.tolerations()).isEmpty();
        NodeHeartbeat hb = new NodeHeartbeat("n", null, null, null, null, 1, Instant.EPOCH);
        assertThat(hb.labels()).isEmpty();
        assertThat(hb.taints()).isEmpty();
        assertThat(hb.withLabelsAndTaints(Map.of("zone", "a"), List.of(GPU)).labels()).containsEntry("zone", "a");
    }

    @Test
    void aTemplateWithoutConstraintsSerialisesAsBefore() {
        String json = Json.write(Samples.template());
        assertThat(Json.toTree(Samples.template()).path("nodeSelector").isEmpty()).isTrue();
        assertThat(json).contains("\"tolerations\":[]");
    }

    @Test
    void schemaRejectsAValueUnderExistsAndEqualWithoutKey() {
        assertThatThrownBy(() -> decodeWithToleration(Map.of("key", "dedicated", "operator", "Exists", "value", "gpu")))
                .isInstanceOf(BadRecordException.class);
        assertThatThrownBy(() -> decodeWithToleration(Map.of("operator", "Equal", "value", "gpu")))
                .isInstanceOf(BadRecordException.class);
        assertThatThrownBy(() -> decodeWithToleration(Map.of("key", "dedicated", "effect", "NoExecute")))
                .isInstanceOf(BadRecordException.class);
    }

    @Test
    void schemaAcceptsKubernetesStyleTolerations() throws Exception {
        decodeWithToleration(Map.of("operator", "Exists"));
        decodeWithToleration(Map.of("key", "dedicated", "value", "gpu"));
        decodeWithToleration(Map.of("key", "dedicated", "operator", "Exists", "effect", "NoSchedule"));
    }

    private static Envelope decodeWithToleration(Map<String, String> toleration) throws BadRecordException {
        ObjectNode env = (ObjectNode) Json.toTree(Envelope.command(new ApplyDeployment(Samples.deployment("web", 1)), "t", Instant.now()));
        ArrayNode tolerations = ((ObjectNode) env.at("/data/deployment/template")).putArray("tolerations");
        ObjectNode t = tolerations.addObject();
        toleration.forEach(t::put);
        return Json.decodeValidated(env.toString());
    }
}
