package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyDeploymentProcessorTest {

    private final Harness h = Harness.withImages("busybox");

    private static ApplyDeployment apply(String name, int replicas) {
        return new ApplyDeployment(Samples.deployment(name, replicas));
    }

    private static ApplyDeployment apply(String name, int replicas, PodTemplate template) {
        return new ApplyDeployment(new DeploymentSpec(name, replicas, template));
    }

    private static PodTemplate template(String image, long cpu, long memory, String restartPolicy, int grace) {
        return new PodTemplate(image, List.of("sleep"), List.of("3600"), Map.of(), new Resources(cpu, memory), restartPolicy, grace);
    }

    private static PodTemplate valid() { return Samples.template(); }

    // ---- accepted ----

    @Test
    void createsANewDeploymentAtGenerationOne() {
        List<Event> events = h.command(apply("web", 3));

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo(new DeploymentApplied(Samples.deployment("web", 3), 1, 1));
        CommandAccepted accepted = (CommandAccepted) events.get(1);
        assertThat(accepted.message()).isEqualTo("deployment web created: 3 replicas");
        assertThat(accepted.commandType()).isEqualTo("ApplyDeployment");
        assertThat(accepted.target()).isEqualTo("web");
        assertThat(h.state.deployment("web")).contains(new DeploymentRecord(Samples.deployment("web", 3), 1, 1, h.now, List.of(), null));
    }

    @Test
    void singularReplicaReadsNaturally() {
        assertThat(h.accepted(apply("web", 1)).message()).isEqualTo("deployment web created: 1 replica");
    }

    @Test
    void zeroReplicasIsAllowed() {
        assertThat(h.accepted(apply("web", 0)).message()).isEqualTo("deployment web created: 0 replicas");
    }

    @Test
    void theSameSpecAgainChangesNothing() {
        h.command(apply("web", 3));
        ControllerState before = h.state;

        List<Event> events = h.command(apply("web", 3));

        assertThat(events).singleElement().isInstanceOfSatisfying(CommandAccepted.class,
                a -> assertThat(a.message()).isEqualTo("deployment web unchanged"));
        assertThat(h.state.deployments()).isEqualTo(before.deployments());
    }

    @Test
    void onlyReplicasChangedReadsAsAScale() {
        h.command(apply("web", 3));

        List<Event> events = h.command(apply("web", 5));

        assertThat(events.get(0)).isEqualTo(new DeploymentApplied(Samples.deployment("web", 5), 2, 1));
        assertThat(((CommandAccepted) events.get(1)).message()).isEqualTo("deployment web scaled from 3 to 5");
    }

    @Test
    void aNewTemplateBumpsTheGenerationAndSaysWhichRevisionRollsOutAndHow() {
        h.command(apply("web", 3));
        PodTemplate bigger = template("busybox", 500, 128 * Samples.MI, "Always", 10);

        assertThat(h.accepted(apply("web", 3, bigger)).message())
                .isEqualTo("deployment web updated to generation 2: rolling out revision 2 (RollingUpdate, max surge 1, max unavailable 0)");
        assertThat(h.accepted(apply("web", 4, valid())).message())
                .isEqualTo("deployment web updated to generation 3: rolling out revision 3 (RollingUpdate, max surge 1, max unavailable 1), replicas from 3 to 4");
        assertThat(h.state.deployment("web").orElseThrow().generation()).isEqualTo(3);
    }

    @Test
    void maximumLengthNameIsAccepted() {
        String name = "a".repeat(57);
        assertThat(h.accepted(apply(name, 1)).message()).isEqualTo("deployment " + name + " created: 1 replica");
    }

    // ---- rejected: one rule at a time, exact reasons ----

    @Test
    void rejectsANameThatIsNotADnsLabel() {
        CommandRejected r = h.rejected(apply("Bad_Name", 1));
        assertThat(r.reason()).isEqualTo("name 'Bad_Name' is not a DNS-1123 label: use only lower-case letters, digits and '-',"
                + " starting and ending with a letter or digit");
        assertThat(r.problems()).containsExactly(r.reason());
        assertThat(r.commandType()).isEqualTo("ApplyDeployment");
        assertThat(r.target()).isEqualTo("Bad_Name");
    }

    @Test
    void rejectsNamesStartingOrEndingWithADash() {
        assertThat(h.rejected(apply("-web", 1)).reason()).startsWith("name '-web' is not a DNS-1123 label");
        assertThat(h.rejected(apply("web-", 1)).reason()).startsWith("name 'web-' is not a DNS-1123 label");
    }

    @Test
    void rejectsAnEmptyName() {
        assertThat(h.rejected(apply("", 1)).reason()).isEqualTo("name must not be empty");
    }

    @Test
    void rejectsANameTooLongForItsPodNames() {
        String name = "a".repeat(58);
        assertThat(h.rejected(apply(name, 1)).reason()).isEqualTo("name '" + name + "' is 58 characters long; at most 57"
                + " are allowed because pod names add 6 and must stay within 63");
    }

    @Test
    void rejectsReplicasOutOfRange() {
        assertThat(h.rejected(apply("web", 10_001)).reason()).isEqualTo("replicas must be between 0 and 10000, got 10001");
        assertThat(h.rejected(apply("web", -1)).reason()).isEqualTo("replicas must be between 0 and 10000, got -1");
        assertThat(h.accepted(apply("web", 10_000)).message()).isEqualTo("deployment web created: 10000 replicas");
    }

    @Test
    void rejectsNoCpu() {
        assertThat(h.rejected(apply("web", 1, template("busybox", 0, 64 * Samples.MI, "Always", 10))).reason())
                .isEqualTo("resources.limits.cpu: Invalid value: \"0\": must be greater than 0 (leave the limit out for no cap)");
    }

    @Test
    void rejectsTooLittleMemory() {
        assertThat(h.rejected(apply("web", 1, template("busybox", 100, 0, "Always", 10))).reason())
                .isEqualTo("resources.limits.memory: Invalid value: \"0\": must be greater than 0 (leave the limit out for no cap)");
        assertThat(h.rejected(apply("web", 1, template("busybox", 100, 4 * Samples.MI - 1, "Always", 10))).reason())
                .isEqualTo("resources.limits.memory: Invalid value: \"4194303\": must be at least 4Mi (4194304) for the container runtime");
        assertThat(h.command(apply("web", 1, template("busybox", 100, 4 * Samples.MI, "Always", 10))))
                .last().isInstanceOf(CommandAccepted.class);
    }

    @Test
    void acceptsATemplateWithoutResourcesAndOneWithRequestsBelowLimits() {
        PodTemplate none = valid().withResources(dev.berth.bus.contract.ResourceRequirements.NONE);
        PodTemplate split = valid().withResources(new dev.berth.bus.contract.ResourceRequirements(
                dev.berth.bus.contract.ResourceList.of(100, 32 * Samples.MI), dev.berth.bus.contract.ResourceList.of(500, 128 * Samples.MI)));

        assertThat(h.command(apply("web", 1, none))).last().isInstanceOf(CommandAccepted.class);
        assertThat(h.command(apply("api", 1, split))).last().isInstanceOf(CommandAccepted.class);
    }

    @Test
    void rejectsARequestAboveItsLimit() {
        PodTemplate t = valid().withResources(new dev.berth.bus.contract.ResourceRequirements(
                dev.berth.bus.contract.ResourceList.of(600, 32 * Samples.MI), dev.berth.bus.contract.ResourceList.of(500, 128 * Samples.MI)));

        assertThat(h.rejected(apply("web", 1, t)).reason())
                .isEqualTo("resources.requests: Invalid value: \"600m\": must be less than or equal to cpu limit of 500m");
    }

    @Test
    void acceptsAnImageNoNodeHasYet() {
        // presence is the node's business: it pulls, or reports ErrImagePull
        assertThat(h.command(apply("web", 1, template("nginx:1.27", 100, 64 * Samples.MI, "Always", 10))))
                .last().isInstanceOf(CommandAccepted.class);
        assertThat(new Harness().command(apply("web", 1))).last().isInstanceOf(CommandAccepted.class);
    }

    @Test
    void rejectsAMalformedImageReference() {
        assertThat(h.rejected(apply("web", 1, template("Nginx:1.27", 100, 64 * Samples.MI, "Always", 10))).reason())
                .startsWith("invalid image reference \"Nginx:1.27\"");
        assertThat(h.rejected(apply("web", 1, template("nginx@sha256:abc", 100, 64 * Samples.MI, "Always", 10))).reason())
                .startsWith("invalid image reference \"nginx@sha256:abc\"");
    }

    @Test
    void rejectsAnUnknownImagePullPolicy() {
        assertThat(h.rejected(apply("web", 1, template("busybox", 100, 64 * Samples.MI, "Always", 10)
                .withImagePullPolicy("Sometimes"))).reason())
                .isEqualTo("imagePullPolicy must be Always, IfNotPresent or Never, got 'Sometimes'");
    }

    @Test
    void rejectsAnUnknownRestartPolicy() {
        assertThat(h.rejected(apply("web", 1, template("busybox", 100, 64 * Samples.MI, "Sometimes", 10))).reason())
                .isEqualTo("restartPolicy must be Always, OnFailure or Never, got 'Sometimes'");
    }

    @Test
    void aDeploymentTakesOnlyRestartPolicyAlwaysAsKubernetes() {
        assertThat(h.command(apply("web-always", 1, template("busybox", 100, 64 * Samples.MI, "Always", 10))))
                .last().isInstanceOf(CommandAccepted.class);
        for (String policy : List.of("OnFailure", "Never")) {
            assertThat(h.rejected(apply("web-" + policy.toLowerCase(), 1, template("busybox", 100, 64 * Samples.MI, policy, 10))).reason())
                    .isEqualTo("spec.template.spec.restartPolicy: Unsupported value: \"" + policy + "\": supported values: \"Always\"");
        }
    }

    @Test
    void rejectsANegativeGracePeriod() {
        assertThat(h.rejected(apply("web", 1, template("busybox", 100, 64 * Samples.MI, "Always", -1))).reason())
                .isEqualTo("terminationGracePeriodSeconds must be 0 or more, got -1");
    }

    @Test
    void rejectsAMissingTemplateWithoutFailing() {
        assertThat(h.rejected(new ApplyDeployment(new DeploymentSpec("web", 1, null))).reason()).isEqualTo("template is required");
    }

    // ---- all problems at once ----

    @Test
    void collectsEveryProblemIntoOneReason() {
        CommandRejected r = h.rejected(apply("Bad_Name", 20_000, template("UPPER", 0, 1024, "Sometimes", -5)));

        assertThat(r.problems()).containsExactly(
                "name 'Bad_Name' is not a DNS-1123 label: use only lower-case letters, digits and '-', starting and ending with a letter or digit",
                "replicas must be between 0 and 10000, got 20000",
                "invalid image reference \"UPPER\": repository name must be lowercase",
                "resources.limits.cpu: Invalid value: \"0\": must be greater than 0 (leave the limit out for no cap)",
                "resources.limits.memory: Invalid value: \"1024\": must be at least 4Mi (4194304) for the container runtime",
                "restartPolicy must be Always, OnFailure or Never, got 'Sometimes'",
                "terminationGracePeriodSeconds must be 0 or more, got -5");
        assertThat(r.reason()).isEqualTo("deployment 'Bad_Name' has 7 problems: " + String.join("; ", r.problems()));
    }

    @Test
    void aRejectionChangesNoState() {
        ControllerState before = h.state;
        h.rejected(apply("Bad_Name", 20_000));
        assertThat(h.state).isEqualTo(before);
    }
}
