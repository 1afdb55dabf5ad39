package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Limits;
import dev.berth.bus.Validation;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.DrainNode;
import dev.berth.bus.Samples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every answer the controller gives fits the contract, however many pods or problems it is about. */
class VerdictsTest {

    @Test
    void aDrainOfAThousandPodsIsAcceptedInABoundedMessage() {
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < 1000; i++) pods.add("deployment-with-a-long-name-" + i + "-abcde");
        CommandAccepted a = Verdicts.accepted("c-1", new DrainNode("node-1"), "evicting 1000 pods: " + String.join(", ", pods));
        assertThat(a.message()).hasSizeLessThanOrEqualTo(Limits.TEXT_MAX_LENGTH).endsWith("characters)");
        assertThat(Validation.problems(a)).isEmpty();
    }

    @Test
    void aThousandProblemsAreRejectedInABoundedAnswer() {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < 1000; i++) problems.add("problem number " + i + " of a very bad deployment");
        CommandRejected r = Verdicts.rejected("c-2", new ApplyDeployment(Samples.deployment("web", 1)), problems);
        assertThat(r.problems()).hasSize(Limits.PROBLEMS_MAX_ITEMS).last().isEqualTo("... and 981 more problems");
        assertThat(r.reason()).hasSizeLessThanOrEqualTo(Limits.TEXT_MAX_LENGTH).startsWith("deployment 'web' has 1000 problems: ");
        assertThat(Validation.problems(r)).isEmpty();
    }
}
