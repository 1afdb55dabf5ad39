package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Limits;
import dev.berth.bus.Samples;
import dev.berth.bus.Validation;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The controller accepts no template that a scheduler or node agent would set aside, and says why in words. */
class DeploymentLimitsTest {
    static final SortedSet<String> IMAGES = new TreeSet<>(List.of("busybox"));

    static PodTemplate template(List<String> args, Map<String, String> env, int grace) {
        return new PodTemplate("busybox", List.of("sh"), args, env, new Resources(100, 64L << 20), "Always", grace);
    }

    static List<String> problems(PodTemplate t) {
        return DeploymentRules.check(new DeploymentSpec("web", 1, t), IMAGES);
    }

    @Test
    void theGracePeriodIsCappedAtFiveMinutes() {
        assertThat(problems(template(List.of(), Map.of(), 300))).isEmpty();
        assertThat(problems(template(List.of(), Map.of(), 301))).containsExactly(
                "terminationGracePeriodSeconds must be at most 300, got 301: a stop must end in bounded time");
    }

    @Test
    void countsAndSizesAreTheSharedLimits() {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i <= Limits.ENV_MAX_ENTRIES; i++) env.put("E" + i, "v");
        assertThat(problems(template(Collections.nCopies(Limits.ARGS_MAX_ITEMS + 1, "x"), env, 10))).containsExactlyInAnyOrder(
                "template/args: has 1025 items, at most 1024 are allowed",
                "template/env: has 1001 entries, at most 1000 are allowed");
        assertThat(problems(template(List.of(), Map.of("1X", "v"), 10))).singleElement().asString()
                .startsWith("template/env: '1X' is not an environment variable name");
    }

    @Test
    void aTemplateOver32KiBIsRefusedAsAWhole() {
        assertThat(problems(template(Collections.nCopies(8, "x".repeat(5000)), Map.of(), 10))).singleElement().asString()
                .matches("template is 4\\d{4} bytes as JSON, at most 32768 are allowed");
    }

    @Test
    void whatTheControllerAcceptsEveryConsumerAccepts() {
        for (PodTemplate t : List.of(Samples.template(), Samples.constrainedTemplate(), template(Collections.nCopies(1024, "x"), Map.of(), 300))) {
            assertThat(problems(t)).isEmpty();
            assertThat(Validation.problems(new PodCreated("web-7d4kq", "web", 1, t))).isEmpty();
        }
    }

    @Test
    void aBadNameIsEchoedOnlyInPart() {
        String name = "X".repeat(10_000);
        assertThat(DeploymentRules.name(name)).allSatisfy(p -> assertThat(p).hasSizeLessThan(300));
    }
}
