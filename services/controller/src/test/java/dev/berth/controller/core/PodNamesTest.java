package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PodNamesTest {

    @Test
    void nameIsTheDeploymentPlusFiveLowerCaseAlphanumerics() {
        assertThat(PodNames.name("web", 0, n -> false)).matches("web-[a-z0-9]{5}");
    }

    @Test
    void sameInputSameName() {
        assertThat(PodNames.name("web", 7, n -> false)).isEqualTo(PodNames.name("web", 7, n -> false));
    }

    @Test
    void differentSerialsOrDeploymentsGiveDifferentNames() {
        assertThat(PodNames.name("web", 0, n -> false)).isNotEqualTo(PodNames.name("web", 1, n -> false));
        assertThat(PodNames.suffix("web/0")).isNotEqualTo(PodNames.suffix("api/0"));
    }

    @Test
    void aTakenNameIsDerivedAgain() {
        String first = PodNames.name("web", 3, n -> false);
        String second = PodNames.name("web", 3, Set.of(first)::contains);
        assertThat(second).isNotEqualTo(first).matches("web-[a-z0-9]{5}");
    }

    @Test
    void aMaximumLengthDeploymentGivesAValidPodName() {
        String pod = PodNames.name("a".repeat(DeploymentRules.MAX_NAME_LENGTH), 0, n -> false);
        assertThat(pod).hasSize(63);
    }

    @Test
    void suffixesAreAlwaysFiveCharacters() {
        for (int i = 0; i < 5000; i++) assertThat(PodNames.suffix("x/" + i)).hasSize(5).matches("[a-z0-9]{5}");
    }
}
