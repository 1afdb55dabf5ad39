package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyHorizontalPodAutoscaler;
import dev.berth.bus.contract.ApplyNamespace;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.DeleteHorizontalPodAutoscaler;
import dev.berth.bus.contract.DeleteNamespace;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.HorizontalPodAutoscalerApplied;
import dev.berth.bus.contract.HorizontalPodAutoscalerDeleted;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HpaBehavior;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.MetricTarget;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.contract.ScaleTargetRef;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ApplyHorizontalPodAutoscaler and DeleteHorizontalPodAutoscaler: Kubernetes' answers, defaults, namespaces and the rebuild. */
class AutoscalersTest {
    private final Harness h = Harness.withImages("busybox");

    static HorizontalPodAutoscalerSpec hpa(String namespace, String name, Integer min, int max, MetricSpec... metrics) {
        return new HorizontalPodAutoscalerSpec(namespace, name, ScaleTargetRef.deployment(name), min, max, List.of(metrics), null);
    }

    static HorizontalPodAutoscalerSpec hpa(String name, int min, int max) { return hpa(null, name, min, max, MetricSpec.cpuUtilization(50)); }

    private HorizontalPodAutoscalerSpec applied(HorizontalPodAutoscalerSpec spec) {
        List<Event> events = h.command(new ApplyHorizontalPodAutoscaler(spec));
        assertThat(events).hasSize(2).last().isInstanceOf(CommandAccepted.class);
        return ((HorizontalPodAutoscalerApplied) events.get(0)).autoscaler();
    }

    private String rejected(HorizontalPodAutoscalerSpec spec) { return h.rejected(new ApplyHorizontalPodAutoscaler(spec)).reason(); }

    @Test
    void aNewAutoscalerIsStoredWithDefaultsAndPublishedOnBerthAutoscalers() {
        List<Event> events = h.command(new ApplyHorizontalPodAutoscaler(hpa(null, "web", null, 5)));

        HorizontalPodAutoscalerSpec stored = ((HorizontalPodAutoscalerApplied) events.get(0)).autoscaler();
        assertThat(stored.minReplicas()).isEqualTo(1);
        assertThat(stored.metrics()).containsExactly(MetricSpec.cpuUtilization(80));
        assertThat(stored.behavior()).isEqualTo(HpaBehavior.defaults());
        assertThat(stored.behavior().scaleDown().stabilizationWindowSeconds()).isEqualTo(300);
        assertThat(((CommandAccepted) events.get(1)).message()).isEqualTo("horizontalpodautoscaler.autoscaling/web created");
        assertThat(h.state.autoscaler("web")).contains(stored);
        assertThat(Outputs.route(events.get(0)).topic()).isEqualTo(Topic.AUTOSCALERS);
        assertThat(Outputs.route(events.get(0)).key()).isEqualTo("web");
    }

    @Test
    void theTargetDeploymentNeedNotExist() {
        assertThat(h.state.deployment("web")).isEmpty();
        applied(hpa("web", 1, 3));
        assertThat(h.state.autoscalers()).containsOnlyKeys("web");
    }

    @Test
    void reApplyIsUnchangedOrConfigured() {
        applied(hpa("web", 1, 3));
        assertThat(h.accepted(new ApplyHorizontalPodAutoscaler(hpa("web", 1, 3))).message()).isEqualTo("horizontalpodautoscaler.autoscaling/web unchanged");
        // Writing out the defaults is the same object.
        assertThat(h.accepted(new ApplyHorizontalPodAutoscaler(hpa("web", 1, 3).withDefaults())).message()).endsWith(" unchanged");
        HorizontalPodAutoscalerSpec more = applied(hpa("web", 1, 6));
        assertThat(more.maxReplicas()).isEqualTo(6);
        assertThat(h.accepted(new ApplyHorizontalPodAutoscaler(hpa("web", 2, 6))).message()).isEqualTo("horizontalpodautoscaler.autoscaling/web configured");
        assertThat(h.state.autoscaler("web").orElseThrow().minReplicas()).isEqualTo(2);
    }

    @Test
    void partialBehaviourIsCompletedWithKubernetesDefaults() {
        HpaBehavior behavior = new HpaBehavior(null, new HpaScalingRules(60, null, null));
        HorizontalPodAutoscalerSpec spec = new HorizontalPodAutoscalerSpec(null, "web", ScaleTargetRef.deployment("web"), 2, 4,
                List.of(MetricSpec.cpuUtilization(50)), behavior);
        HorizontalPodAutoscalerSpec stored = applied(spec);
        assertThat(stored.behavior().scaleUp()).isEqualTo(HpaScalingRules.defaultScaleUp());
        assertThat(stored.behavior().scaleDown().stabilizationWindowSeconds()).isEqualTo(60);
        assertThat(stored.behavior().scaleDown().selectPolicy()).isEqualTo("Max");
        assertThat(stored.behavior().scaleDown().policies()).isEqualTo(HpaScalingRules.defaultScaleDown().policies());
    }

    static List<Arguments> invalid() {
        ScaleTargetRef web = ScaleTargetRef.deployment("web");
        List<MetricSpec> cpu = List.of(MetricSpec.cpuUtilization(50));
        return List.of(
                Arguments.of(hpa("web", 3, 1), "spec.maxReplicas: Invalid value: 1: must be greater than or equal to minReplicas"),
                Arguments.of(hpa("web", 0, 1), "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"),
                Arguments.of(new HorizontalPodAutoscalerSpec(null, "web", new ScaleTargetRef("apps/v1", "StatefulSet", "db"), 1, 3, cpu, null),
                        "spec.scaleTargetRef.kind: Unsupported value: \"StatefulSet\": supported values: \"Deployment\""),
                Arguments.of(new HorizontalPodAutoscalerSpec(null, "web", new ScaleTargetRef(null, null, ""), 1, 3, cpu, null),
                        "spec.scaleTargetRef.name: Required value"),
                Arguments.of(hpa(null, "web", 1, 3, new MetricSpec("Pods", "requests_per_second", MetricTarget.utilization(50))),
                        "spec.metrics[0].pods.target.type: Invalid value: \"Utilization\": must be AverageValue for a Pods metric"),
                Arguments.of(hpa(null, "web", 1, 3, new MetricSpec("Resource", "gpu", MetricTarget.utilization(50))),
                        "spec.metrics[0].resource.name: Unsupported value: \"gpu\": supported values: \"cpu\", \"memory\""),
                Arguments.of(hpa(null, "web", 1, 3, new MetricSpec("External", "queue", MetricTarget.averageValueMilli(5))),
                        "spec.metrics[0].type: Unsupported value: \"External\": supported values: \"Pods\", \"Resource\""),
                Arguments.of(hpa(null, "web", 1, 3, new MetricSpec("Resource", "cpu", new MetricTarget("Utilization", null, null))),
                        "spec.metrics[0].resource.target.averageUtilization: Required value: must be set when type is Utilization"),
                Arguments.of(hpa(null, "web", 1, 3, new MetricSpec("Resource", "cpu", new MetricTarget("AverageValue", 50, null))),
                        "[spec.metrics[0].resource.target.averageValue: Required value: must be set when type is AverageValue,"
                                + " spec.metrics[0].resource.target.averageUtilization: Forbidden: may not be set when type is AverageValue]"),
                Arguments.of(hpa(null, "web", 1, 3, new MetricSpec("Resource", "memory", new MetricTarget("Value", null, 5L))),
                        "spec.metrics[0].resource.target.type: Unsupported value: \"Value\": supported values: \"AverageValue\", \"Utilization\""),
                Arguments.of(hpa(null, "web", 1, 3, new MetricSpec("Resource", "cpu", MetricTarget.utilization(0))),
                        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"),
                Arguments.of(new HorizontalPodAutoscalerSpec(null, "web", web, 1, 3, cpu,
                                new HpaBehavior(new HpaScalingRules(4000, "Fastest", List.of(new HpaScalingPolicy("Nodes", 0, 0))), null)),
                        "[spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600 and greater than or equal to 0,"
                                + " spec.behavior.scaleUp.selectPolicy: Unsupported value: \"Fastest\": supported values: \"Disabled\", \"Max\", \"Min\","
                                + " spec.behavior.scaleUp.policies[0].type: Unsupported value: \"Nodes\": supported values: \"Percent\", \"Pods\","
                                + " spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero,"
                                + " spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero and less than or equal to 1800]"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidAutoscalersAreRejectedInKubernetesWords(HorizontalPodAutoscalerSpec spec, String problem) {
        assertThat(rejected(spec)).isEqualTo("HorizontalPodAutoscaler.autoscaling \"" + spec.name() + "\" is invalid: " + problem);
        assertThat(h.state.autoscalers()).isEmpty();
    }

    @Test
    void aRejectedReApplyKeepsTheStoredOne() {
        HorizontalPodAutoscalerSpec first = applied(hpa("web", 1, 3));
        assertThat(rejected(hpa("web", 4, 2))).contains("must be greater than or equal to minReplicas");
        assertThat(h.state.autoscaler("web")).contains(first);
    }

    @Test
    void anAutoscalerNeedsItsNamespace() {
        assertThat(rejected(hpa("shop", "web", 1, 3, MetricSpec.cpuUtilization(50)))).isEqualTo("namespaces \"shop\" not found");
        h.accepted(new ApplyNamespace("shop"));
        applied(hpa("shop", "web", 1, 3, MetricSpec.cpuUtilization(50)));
        applied(hpa("web", 1, 3));
        assertThat(h.state.autoscalers()).containsOnlyKeys("shop/web", "web");
        assertThat(h.state.autoscalersIn("shop")).extracting(HorizontalPodAutoscalerSpec::key).containsExactly("shop/web");
        assertThat(h.state.autoscalersIn("default")).extracting(HorizontalPodAutoscalerSpec::key).containsExactly("web");
    }

    @Test
    void aTerminatingNamespaceTakesNoNewAutoscaler() {
        h.accepted(new ApplyNamespace("shop"));
        h.accepted(new dev.berth.bus.contract.ApplyDeployment(dev.berth.bus.Samples.deployment("web", 1).inNamespace("shop")));
        h.reconcile();
        h.accepted(new DeleteNamespace("shop"));
        assertThat(rejected(hpa("shop", "web", 1, 3, MetricSpec.cpuUtilization(50))))
                .isEqualTo("unable to create new content in namespace shop because it is being terminated");
    }

    @Test
    void deleteRemovesItAndAnUnknownOneIsNotFound() {
        applied(hpa("web", 1, 3));
        List<Event> events = h.command(new DeleteHorizontalPodAutoscaler(null, "web"));

        assertThat(events.get(0)).isEqualTo(new HorizontalPodAutoscalerDeleted("default", "web"));
        assertThat(((CommandAccepted) events.get(1)).message()).isEqualTo("horizontalpodautoscaler.autoscaling \"web\" deleted");
        assertThat(Outputs.route(events.get(0)).topic()).isEqualTo(Topic.AUTOSCALERS);
        assertThat(h.state.autoscalers()).isEmpty();
        assertThat(h.rejected(new DeleteHorizontalPodAutoscaler(null, "web")).reason())
                .isEqualTo("horizontalpodautoscalers.autoscaling \"web\" not found");
        assertThat(h.rejected(new DeleteHorizontalPodAutoscaler("shop", "web")).reason())
                .isEqualTo("horizontalpodautoscalers.autoscaling \"web\" not found");
    }

    @Test
    void deletingANamespaceDeletesItsAutoscalers() {
        h.accepted(new ApplyNamespace("shop"));
        applied(hpa("shop", "web", 1, 3, MetricSpec.cpuUtilization(50)));
        applied(hpa("shop", "api", 1, 3, MetricSpec.cpuUtilization(50)));
        applied(hpa("web", 1, 3));

        List<Event> events = h.command(new DeleteNamespace("shop"));

        assertThat(events).contains(new HorizontalPodAutoscalerDeleted("shop", "web"), new HorizontalPodAutoscalerDeleted("shop", "api"));
        assertThat(h.state.autoscalers()).containsOnlyKeys("web");
    }

    @Test
    void deletingTheAutoscalerLeavesTheDeploymentsReplicas() {
        h.accepted(new dev.berth.bus.contract.ApplyDeployment(dev.berth.bus.Samples.deployment("web", 3)));
        applied(hpa("web", 1, 5));
        h.accepted(new DeleteHorizontalPodAutoscaler(null, "web"));
        assertThat(h.state.deployment("web").orElseThrow().replicas()).isEqualTo(3);
    }

    @Test
    void theScaleCommandsReasonIsCarriedIntoDeploymentScaled() {
        h.accepted(new dev.berth.bus.contract.ApplyDeployment(dev.berth.bus.Samples.deployment("web", 1)));
        String reason = "New size: 3; reason: cpu resource utilization (percentage of request) above target";
        List<Event> events = h.command(new ScaleDeployment("web", 3, null, reason));
        assertThat(events.get(0)).isInstanceOfSatisfying(DeploymentScaled.class, s -> assertThat(s.reason()).isEqualTo(reason));
        List<Event> manual = h.command(new ScaleDeployment("web", 2));
        assertThat(manual.get(0)).isInstanceOfSatisfying(DeploymentScaled.class, s -> assertThat(s.reason()).isNull());
    }

    @Test
    void theLogRebuildsAutoscalers() {
        h.accepted(new ApplyNamespace("shop"));
        applied(hpa("a", 1, 3));
        applied(hpa("shop", "b", 2, 4, MetricSpec.requestsPerSecond(10_000)));
        applied(hpa("c", 1, 3));
        h.command(new DeleteHorizontalPodAutoscaler(null, "c"));
        applied(hpa("a", 1, 7));

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);

        assertThat(rebuilt.autoscalers()).isEqualTo(h.state.autoscalers()).containsOnlyKeys("a", "shop/b");
        assertThat(rebuilt.autoscaler("a").orElseThrow().maxReplicas()).isEqualTo(7);
        assertThat(rebuilt).isEqualTo(h.state);
    }

    @Test
    void aRedeliveredApplyGetsTheSameAnswer() {
        Envelope env = Envelope.command(new ApplyHorizontalPodAutoscaler(hpa("web", 1, 3)), "test", h.now);
        h.command(env);
        assertThat(h.command(env)).singleElement().isInstanceOf(CommandAccepted.class);
    }
}
