package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PodNamesTest {

    @Test
    void nameIsTheDeploymentPlusFiveLowerCaseAlphanumerics() {
        assertThat(PodNames.name("web", 0, Set.of())).matches("web-[a-z0-9]{5}");
    }

    @Test
    void sameInputSameName() {
        assertThat(PodNames.name("web", 7, Set.of())).isEqualTo(PodNames.name("web", 7, Set.of()));
    }

    @Test
    void differentSerialsOrDeploymentsGiveDifferentNames() {
        assertThat(PodNames.name("web", 0, Set.of())).isNotEqualTo(PodNames.name("web", 1, Set.of()));
        assertThat(PodNames.suffix("web/0")).isNotEqualTo(PodNames.suffix("api/0"));
    }

    @Test
    void aTakenNameIsDerivedAgain() {
        String first = PodNames.name("web", 3, Set.of());
        String second = PodNames.name("web", 3, Set.of(first));
        assertThat(second).isNotEqualTo(first).matches("web-[a-z0-9]{5}");
    }

    @Test
    void aMaximumLengthDeploymentGivesAValidPodName() {
        String pod = PodNames.name("a".repeat(DeploymentRules.MAX_NAME_LENGTH), 0, Set.of());
        assertThat(pod).hasSize(63);
    }

    @Test
    void suffixesAreAlwaysFiveCharacters() {
        for (int i = 0; i < 5000; i++) assertThat(PodNames.suffix("x/" + i)).hasSize(5).matches("[a-z0-9]{5}");
    }
}
