package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Selector;
import dev.berth.bus.contract.Selector.Requirement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** apps/v1's label rules: selector present and matching the template, immutable; pods carry the template's labels. */
class DeploymentLabelsTest {

    private final Harness h = Harness.withImages("busybox");

    static final Map<String, String> WEB = Map.of("app", "web", "tier", "frontend");

    static DeploymentSpec spec(Map<String, String> podLabels, Selector selector) {
        return new DeploymentSpec("web", 2, Samples.template().withLabels(podLabels), Map.of("team", "shop"), selector);
    }

    static Requirement expr(String key, String operator, String... values) { return new Requirement(key, operator, List.of(values)); }

    static Stream<Arguments> matching() {
        return Stream.of(
                Arguments.of("matchLabels subset", Selector.matching(Map.of("app", "web"))),
                Arguments.of("matchLabels all", Selector.matching(WEB)),
                Arguments.of("In", new Selector(null, List.of(expr("tier", "In", "frontend", "edge")))),
                Arguments.of("NotIn", new Selector(null, List.of(expr("tier", "NotIn", "db")))),
                Arguments.of("NotIn of an absent key", new Selector(null, List.of(expr("env", "NotIn", "prod")))),
                Arguments.of("Exists", new Selector(null, List.of(expr("app", "Exists")))),
                Arguments.of("DoesNotExist", new Selector(null, List.of(expr("legacy", "DoesNotExist")))),
                Arguments.of("both kinds ANDed", new Selector(Map.of("app", "web"), List.of(expr("tier", "In", "frontend"), expr("x", "DoesNotExist")))));
    }

    static Stream<Arguments> mismatching() {
        return Stream.of(
                Arguments.of("other value", Selector.matching(Map.of("app", "api"))),
                Arguments.of("absent key", Selector.matching(Map.of("app", "web", "env", "prod"))),
                Arguments.of("In without the value", new Selector(null, List.of(expr("tier", "In", "db", "cache")))),
                Arguments.of("NotIn of the value", new Selector(null, List.of(expr("tier", "NotIn", "frontend")))),
                Arguments.of("Exists of an absent key", new Selector(null, List.of(expr("env", "Exists")))),
                Arguments.of("DoesNotExist of a present key", new Selector(null, List.of(expr("app", "DoesNotExist")))),
                Arguments.of("one of two failing", new Selector(Map.of("app", "web"), List.of(expr("tier", "In", "db")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matching")
    void aSelectorMatchingTheTemplateIsAccepted(String what, Selector selector) {
        List<Event> events = h.command(new ApplyDeployment(spec(WEB, selector)));

        assertThat(events.get(0)).isEqualTo(new DeploymentApplied(spec(WEB, selector), 1, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatching")
    void aSelectorNotMatchingTheTemplateIsRejectedInKubernetesWords(String what, Selector selector) {
        assertThat(h.rejected(new ApplyDeployment(spec(WEB, selector))).problems()).containsExactly(
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\", \"tier\":\"frontend\"}:"
                        + " `selector` does not match template `labels`");
        assertThat(h.state.deployment("web")).isEmpty();
    }

    @Test
    void aSelectorOfATemplateWithoutLabelsIsRejected() {
        assertThat(h.rejected(new ApplyDeployment(spec(Map.of(), Selector.matching(Map.of("app", "web"))))).problems())
                .containsExactly("spec.template.metadata.labels: Invalid value: map[string]string{}: `selector` does not match template `labels`");
    }

    @Test
    void anEmptySelectorIsRejected() {
        assertThat(h.rejected(new ApplyDeployment(spec(WEB, new Selector(null, null)))).problems())
                .containsExactly("spec.selector: Invalid value: {}: empty selector is invalid for deployment");
    }

    @Test
    void aSelectorWithABadOperatorOrValuesIsRejected() {
        assertThat(h.rejected(new ApplyDeployment(spec(WEB, new Selector(null, List.of(expr("app", "Near", "web")))))).problems())
                .singleElement().asString().startsWith("spec.selector: Invalid value: matchExpressions: operator 'Near'");
        assertThat(h.rejected(new ApplyDeployment(spec(WEB, new Selector(null, List.of(expr("app", "In")))))).problems())
                .containsExactly("spec.selector: Invalid value: for 'in', 'notin' operators, values set can't be empty");
        assertThat(h.rejected(new ApplyDeployment(spec(WEB, new Selector(null, List.of(expr("app", "Exists", "web")))))).problems())
                .containsExactly("spec.selector: Invalid value: values set must be empty for exists and does not exist");
    }

    @Test
    void invalidLabelsAreRejectedWhereTheyAre() {
        DeploymentSpec badDeploymentLabel = spec(WEB, Selector.matching(WEB)).withLabelsAndSelector(Map.of("-team", "shop"), Selector.matching(WEB));
        assertThat(h.rejected(new ApplyDeployment(badDeploymentLabel)).problems()).singleElement().asString()
                .startsWith("metadata.labels: Invalid value: label key '-team': name part must consist of");

        Map<String, String> badPod = new HashMap<>(WEB);
        badPod.put("note", "not ok!");
        assertThat(h.rejected(new ApplyDeployment(spec(badPod, Selector.matching(WEB)))).problems()).singleElement().asString()
                .startsWith("spec.template.metadata.labels: Invalid value: label value 'not ok!'");

        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 65; i++) many.put("k" + i, "v");
        assertThat(h.rejected(new ApplyDeployment(spec(WEB, Selector.matching(WEB)).withLabelsAndSelector(many, Selector.matching(WEB)))).problems())
                .anySatisfy(p -> assertThat(p).startsWith("metadata.labels: Invalid value: at most 64 labels"));
    }

    @Test
    void withoutASelectorTheTemplatesLabelsSelectAsBefore() {
        DeploymentSpec legacy = new DeploymentSpec("web", 2, Samples.template().withLabels(WEB));
        h.accepted(new ApplyDeployment(legacy));

        assertThat(legacy.effectiveSelector()).isEqualTo(Selector.matching(WEB));
        assertThat(new DeploymentSpec("old", 1, Samples.template()).effectiveSelector().hasNoRequirements()).isTrue();
    }

    @Test
    void theSelectorIsImmutable() {
        h.accepted(new ApplyDeployment(spec(WEB, Selector.matching(Map.of("app", "web")))));

        assertThat(h.rejected(new ApplyDeployment(spec(WEB, Selector.matching(WEB)))).problems())
                .containsExactly("spec.selector: Invalid value: \"app=web,tier=frontend\": field is immutable");
        assertThat(h.rejected(new ApplyDeployment(spec(WEB, null))).problems())
                .containsExactly("spec.selector: Invalid value: \"app=web,tier=frontend\": field is immutable");
        assertThat(h.state.deployment("web").orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void aSpecWithoutSelectorThatSelectsTheSameKeepsTheRecordedOne() {
        h.accepted(new ApplyDeployment(spec(WEB, Selector.matching(WEB))));

        assertThat(h.accepted(new ApplyDeployment(spec(WEB, null))).message()).isEqualTo("deployment web unchanged");
        assertThat(h.state.deployment("web").orElseThrow().spec().selector()).isEqualTo(Selector.matching(WEB));
    }

    @Test
    void theSameSelectorWithReorderedExpressionsIsNoChange() {
        Selector one = new Selector(null, List.of(expr("app", "In", "web", "api"), expr("tier", "Exists")));
        Selector reordered = new Selector(null, List.of(expr("tier", "Exists"), expr("app", "In", "api", "web")));
        h.accepted(new ApplyDeployment(spec(WEB, one)));

        assertThat(h.accepted(new ApplyDeployment(spec(WEB, reordered))).message()).isEqualTo("deployment web configured: its pods stay");
    }

    @Test
    void aDeploymentFromBeforeSelectorsTakesItsFirstOne() {
        h.accepted(new ApplyDeployment(new DeploymentSpec("web", 2, Samples.template())));

        assertThat(h.accepted(new ApplyDeployment(spec(WEB, Selector.matching(WEB)))).message())
                .isEqualTo("deployment web updated to generation 2: rolling out revision 2 (RollingUpdate, max surge 1, max unavailable 0)");
    }

    @Test
    void podsCarryTheirTemplatesLabels() {
        h.command(new ApplyDeployment(spec(WEB, Selector.matching(Map.of("app", "web")))));
        List<Event> reconciled = h.reconcile();

        assertThat(Harness.created(reconciled)).hasSize(2).allSatisfy(c -> assertThat(c.template().labels()).isEqualTo(WEB));
        assertThat(h.live("web")).hasSize(2).allSatisfy(p -> assertThat(p.labels()).isEqualTo(WEB));
    }

    @Test
    void changingOnlyTheDeploymentsLabelsKeepsItsPods() {
        h.command(new ApplyDeployment(spec(WEB, Selector.matching(WEB))));
        h.reconcile();

        DeploymentSpec relabelled = spec(WEB, Selector.matching(WEB)).withLabelsAndSelector(Map.of("team", "checkout"), Selector.matching(WEB));
        assertThat(h.accepted(new ApplyDeployment(relabelled)).message()).isEqualTo("deployment web configured: its pods stay");
        assertThat(Harness.deletions(h.reconcile())).isEmpty();
    }

    @Test
    void changingTheTemplatesLabelsReplacesItsPods() {
        h.command(new ApplyDeployment(spec(WEB, Selector.matching(Map.of("app", "web")))));
        h.reconcile();
        Map<String, String> canary = Map.of("app", "web", "tier", "frontend", "track", "canary");

        // Recreate: the old pods never ran, so the new ones come in the same decision.
        h.accepted(new ApplyDeployment(spec(canary, Selector.matching(Map.of("app", "web")))
                .withRollout(new dev.berth.bus.contract.DeploymentSpec.Rollout(dev.berth.bus.contract.DeploymentStrategy.recreate(), 0, null, null, false))));
        List<Event> reconciled = h.reconcile();

        assertThat(Harness.deletions(reconciled)).hasSize(2);
        assertThat(Harness.created(reconciled)).hasSize(2).allSatisfy(c -> assertThat(c.template().labels()).isEqualTo(canary));
    }

    @Test
    void scalingKeepsLabelsAndSelector() {
        DeploymentSpec s = spec(WEB, Selector.matching(WEB));
        assertThat(s.withReplicas(5)).isEqualTo(new DeploymentSpec("web", 5, s.template(), s.labels(), s.selector()));
        PodTemplate t = Samples.template().withLabels(WEB);
        assertThat(t.withPlacement(Map.of("disk", "ssd"), List.of()).withImagePullPolicy("Never").labels()).isEqualTo(WEB);
    }
}
