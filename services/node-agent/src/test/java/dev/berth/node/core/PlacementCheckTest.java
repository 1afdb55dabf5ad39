package dev.berth.node.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlacementCheckTest {
    static PodPlaced placed(String pod, PodTemplate t) {
        return new PodPlaced(pod, "node-1", "web", t, 1, Map.of(), List.of());
    }

    static PodTemplate template(String image, Resources r, String policy, int grace) {
        return new PodTemplate(image, List.of("sleep"), List.of("1"), Map.of(), r, policy, grace);
    }

    @Test
    void aSchedulersPlacementPasses() {
        assertThat(PlacementCheck.problem(placed("web-abc12", Samples.template()))).isEmpty();
        assertThat(PlacementCheck.problem(new PodReleased("web-abc12", "node-1", "web"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../etc", "a/b", "Web", "-web", "web-", "web_1", "web.1", " web"})
    void aPodNameThatIsNotADns1123LabelFails(String pod) {
        assertThat(PlacementCheck.problem(placed(pod, Samples.template()))).get().asString().contains("DNS-1123");
        assertThat(PlacementCheck.problem(new PodReleased(pod, "node-1", "web"))).get().asString().contains("DNS-1123");
    }

    @Test
    void aPodNameLongerThan63Fails() {
        assertThat(PlacementCheck.problem(placed("a".repeat(63), Samples.template()))).isEmpty();
        assertThat(PlacementCheck.problem(placed("a".repeat(64), Samples.template()))).isPresent();
    }

    @Test
    void missingFieldsFail() {
        Resources r = new Resources(10, 1 << 20);
        assertThat(PlacementCheck.problem(placed(null, Samples.template()))).contains("no pod name");
        assertThat(PlacementCheck.problem(new PodPlaced("a", null, "web", Samples.template(), 1, Map.of(), List.of())))
                .get().asString().contains("names no node");
        assertThat(PlacementCheck.problem(placed("a", null))).get().asString().contains("has no template");
        assertThat(PlacementCheck.problem(placed("a", template(null, r, "Always", 1)))).get().asString().contains("no image");
        assertThat(PlacementCheck.problem(placed("a", template(" ", r, "Always", 1)))).get().asString().contains("no image");
        assertThat(PlacementCheck.problem(placed("a", template("busybox", null, "Always", 1)))).as("no resources: none reserved, no caps").isEmpty();
    }

    @Test
    void impossibleValuesFail() {
        Resources r = new Resources(10, 1 << 20);
        assertThat(PlacementCheck.problem(placed("a", template("busybox", new Resources(-1, 0), "Always", 1))))
                .get().asString().contains("negative resources");
        assertThat(PlacementCheck.problem(placed("a", template("busybox", r, "Sometimes", 1))))
                .get().asString().contains("unknown restartPolicy 'Sometimes'");
        assertThat(PlacementCheck.problem(placed("a", template("busybox", r, "Always", -1)))).get().asString().contains("outside");
        assertThat(PlacementCheck.problem(placed("a", template("busybox", r, "Always", PlacementCheck.MAX_GRACE_SECONDS + 1)))).isPresent();
    }

    @Test
    void reasonsQuoteAtMostAnExcerptOfTheValue() {
        String huge = "X".repeat(100_000);
        assertThat(PlacementCheck.problem(placed(huge, Samples.template())).orElseThrow().length()).isLessThan(300);
    }
}
