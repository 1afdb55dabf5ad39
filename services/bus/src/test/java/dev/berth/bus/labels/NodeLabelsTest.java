package dev.berth.bus.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NodeLabelsTest {

    @ParameterizedTest
    @CsvSource({"amd64,amd64", "x86_64,amd64", "aarch64,arm64", "arm64,arm64", "i686,386", "ppc64le,ppc64le", "riscv64,riscv64",
            "'weird arch!',unknown"})
    void javaArchitecturesAreNamedAsGoNamesThem(String java, String go) {
        assertThat(NodeLabels.goArch(java)).isEqualTo(go);
    }

    @Test
    void theWellKnownLabelsNameTheNodeItsOsAndArchitecture() {
        assertThat(NodeLabels.wellKnown("node-1", "amd64")).isEqualTo(Map.of("kubernetes.io/hostname", "node-1", "kubernetes.io/os", "linux",
                "kubernetes.io/arch", "amd64"));
    }

    @Test
    void aNodeNameTooLongForALabelValueHasNoHostnameLabel() {
        assertThat(NodeLabels.wellKnown("n".repeat(64), "amd64")).doesNotContainKey(NodeLabels.HOSTNAME).containsKey(NodeLabels.OS);
    }

    @Test
    void userLabelsStayAndMayRepeatAWellKnownValue() {
        assertThat(NodeLabels.merged("node-1", Map.of("disk", "ssd", "kubernetes.io/os", "linux"), "arm64"))
                .containsEntry("disk", "ssd").containsEntry("kubernetes.io/arch", "arm64").hasSize(4);
    }

    @Test
    void aUserLabelMayNotGiveAWellKnownOneAnotherValue() {
        assertThatThrownBy(() -> NodeLabels.merged("node-1", Map.of("kubernetes.io/arch", "s390x"), "amd64"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node node-1: label kubernetes.io/arch=s390x would override the well-known kubernetes.io/arch=amd64 the node sets"
                        + " itself; leave it out");
        assertThat(NodeLabels.conflict("node-1", Map.of("kubernetes.io/hostname", "other"), "amd64")).isPresent();
    }

    @Test
    void theWellKnownLabelsCountTowardsTheLimit() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 62; i++) many.put("k" + i, "v");
        assertThat(NodeLabels.conflict("node-1", many, "amd64")).hasValueSatisfying(p -> assertThat(p).contains("at most 64 labels"));
        many.remove("k0");
        assertThat(NodeLabels.conflict("node-1", many, "amd64")).isEmpty();
    }
}
