package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.*;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code berth get hpa}, {@code describe hpa/NAME}, the scale warning and the event lines, from folded records. */
class AutoscalerViewsTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant NOW = T0.plusSeconds(300);
    static final NamespaceOptions DEFAULT = NamespaceOptions.of(null, false);
    final ClusterView view = new ClusterView();

    void at(int second, Payload p) { view.apply(Envelope.spontaneous(p, "test", T0.plusSeconds(second))); }

    static HorizontalPodAutoscalerSpec web() {
        return new HorizontalPodAutoscalerSpec(null, "web", ScaleTargetRef.deployment("web"), 1, 5, List.of(MetricSpec.cpuUtilization(50)), null)
                .withDefaults();
    }

    static HorizontalPodAutoscalerSpec api() {
        return new HorizontalPodAutoscalerSpec(null, "api", ScaleTargetRef.deployment("api"), 2, 10,
                List.of(MetricSpec.requestsPerSecond(10_000), new MetricSpec("Resource", "memory", MetricTarget.averageValueMilli(100L * 1048576 * 1000))),
                null).withDefaults();
    }

    static HpaCondition condition(String type, String status, String reason, String message) {
        return new HpaCondition(type, status, reason, message, T0);
    }

    static HorizontalPodAutoscalerStatus status(String name, int second, int current, int desired, List<MetricStatus> metrics, String reason,
                                                HpaCondition... conditions) {
        return new HorizontalPodAutoscalerStatus(null, name, T0.plusSeconds(second), current, desired, metrics, List.of(conditions), null, reason);
    }

    @Test
    void beforeAnyMetricTheTargetsAreUnknownAndReplicasZero() {
        at(0, new HorizontalPodAutoscalerApplied(web()));
        assertThat(AutoscalerTables.table(view, NOW, false, Selection.ALL, DEFAULT)).isEqualTo("""
                NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
                web    Deployment/web   cpu: <unknown>/50%   1         5         0          300s
                """.replace("300s", "5m"));
    }

    @Test
    void currentValuesFromTheLatestStatusInKubectlsShape() {
        at(0, new HorizontalPodAutoscalerApplied(web()));
        at(1, new HorizontalPodAutoscalerApplied(api()));
        at(10, status("web", 10, 1, 1, List.of(new MetricStatus("Resource", "cpu", 30, 60L)), "within tolerance"));
        at(20, status("web", 20, 2, 3, List.of(new MetricStatus("Resource", "cpu", 45, 90L)), "cpu 45% of request above target 50%... scaled to 3"));
        at(30, status("api", 30, 3, 3, List.of(new MetricStatus("Pods", "requests_per_second", null, 4500L),
                new MetricStatus("Resource", "memory", null, 12L * 1048576 * 1000)), "all within tolerance"));

        assertThat(AutoscalerTables.table(view, NOW, false, Selection.ALL, DEFAULT)).isEqualTo("""
                NAME   REFERENCE        TARGETS                                                 MINPODS   MAXPODS   REPLICAS   AGE
                api    Deployment/api   requests_per_second: 4500m/10, memory: 12Mi/100Mi   2         10        3          4m59s
                web    Deployment/web   cpu: 45%/50%                                            1         5         2          5m
                """.replace("4m59s", "4m").replace("TARGETS                                                 ", "TARGETS                                             ")
                .replace("cpu: 45%/50%                                            ", "cpu: 45%/50%                                        "));
        assertThat(AutoscalerTables.table(view, NOW, true, Selection.named("web"), DEFAULT)).contains("REASON")
                .contains("cpu 45% of request above target 50%... scaled to 3").doesNotContain("api ");
    }

    @Test
    void moreThanTwoMetricsAreCountedAsKubectlDoes() {
        HorizontalPodAutoscalerSpec three = new HorizontalPodAutoscalerSpec(null, "web", ScaleTargetRef.deployment("web"), 1, 5,
                List.of(MetricSpec.cpuUtilization(50), MetricSpec.requestsPerSecond(2_000), new MetricSpec("Resource", "memory", MetricTarget.utilization(70))),
                null).withDefaults();
        assertThat(AutoscalerTables.targets(three, null)).isEqualTo("cpu: <unknown>/50%, requests_per_second: <unknown>/2 + 1 more...");
    }

    @Test
    void allNamespacesPutTheNamespaceFirstAndOneNamespaceHidesOthers() {
        at(0, new NamespaceApplied("shop"));
        HorizontalPodAutoscalerSpec shop = new HorizontalPodAutoscalerSpec("shop", "cart", ScaleTargetRef.deployment("cart"), 1, 3, List.of(), null)
                .withDefaults();
        at(1, new HorizontalPodAutoscalerApplied(shop));
        at(2, new HorizontalPodAutoscalerApplied(web()));

        String all = AutoscalerTables.table(view, NOW, false, Selection.ALL, NamespaceOptions.of(null, true));
        assertThat(all.lines().toList()).hasSize(3);
        assertThat(all.lines().findFirst().orElseThrow()).startsWith("NAMESPACE   NAME");
        assertThat(all).contains("shop        cart").contains("cpu: <unknown>/80%");
        assertThat(AutoscalerTables.table(view, NOW, false, Selection.ALL, NamespaceOptions.of("shop", false))).contains("cart").doesNotContain("web");
        assertThat(AutoscalerTables.table(view, NOW, false, Selection.ALL, NamespaceOptions.of("other", false))).isEqualTo("No resources found.\n");
    }

    @Test
    void aDeletedAutoscalerIsGoneAndSoAreItsNamespacesOnes() {
        at(0, new HorizontalPodAutoscalerApplied(web()));
        at(1, new HorizontalPodAutoscalerApplied(api()));
        at(2, new HorizontalPodAutoscalerDeleted(null, "web"));
        at(3, status("web", 3, 1, 1, List.of(), "late status of a deleted autoscaler"));
        assertThat(view.autoscalers()).extracting(a -> a.spec.name()).containsExactly("api");
        assertThat(GetCommand.exists(view, GetCommand.Kind.hpa, "web")).isFalse();
        assertThat(GetCommand.exists(view, GetCommand.Kind.horizontalpodautoscalers, "api")).isTrue();
    }

    @Test
    void jsonIsAnAutoscalingV2Object() throws Exception {
        at(0, new HorizontalPodAutoscalerApplied(api()));
        at(5, status("api", 5, 3, 4, List.of(new MetricStatus("Pods", "requests_per_second", null, 14_500L)), "above target",
                condition("AbleToScale", "True", "SucceededRescale", "the HPA controller was able to update the target scale to 4")));

        JsonNode list = Json.parse(GetCommand.render(view, GetCommand.Kind.hpa, GetCommand.Output.json, (String) null, NOW, true));
        assertThat(list.path("kind").asText()).isEqualTo("List");
        JsonNode hpa = list.path("items").get(0);
        assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(hpa.path("kind").asText()).isEqualTo("HorizontalPodAutoscaler");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("api");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(2);
        assertThat(hpa.at("/spec/metrics/0/pods/metric/name").asText()).isEqualTo("requests_per_second");
        assertThat(hpa.at("/spec/metrics/0/pods/target/averageValue").asText()).isEqualTo("10");
        assertThat(hpa.at("/spec/metrics/1/resource/target/averageValue").asText()).isEqualTo("100Mi");
        assertThat(hpa.at("/spec/behavior/scaleDown/stabilizationWindowSeconds").asInt()).isEqualTo(300);
        assertThat(hpa.at("/status/desiredReplicas").asInt()).isEqualTo(4);
        assertThat(hpa.at("/status/currentMetrics/0/pods/current/averageValue").asText()).isEqualTo("14500m");
        assertThat(hpa.at("/status/conditions/0/reason").asText()).isEqualTo("SucceededRescale");

        // What get -o yaml prints, apply reads back into the same autoscaler.
        String yaml = GetCommand.render(view, GetCommand.Kind.hpa, GetCommand.Output.yaml, "api", NOW, true);
        assertThat(yaml).contains("apiVersion: autoscaling/v2").doesNotContain("kind: \"List\"");
        assertThat(GetCommand.render(view, GetCommand.Kind.hpa, GetCommand.Output.name, (String) null, NOW, true))
                .isEqualTo("horizontalpodautoscaler.autoscaling/api\n");
    }

    @Test
    void yamlFromGetAppliesBackUnchanged() throws Exception {
        at(0, new HorizontalPodAutoscalerApplied(api()));
        String yaml = GetCommand.render(view, GetCommand.Kind.hpa, GetCommand.Output.yaml, "api", NOW, true);
        HorizontalPodAutoscalerManifest.Parsed back = HorizontalPodAutoscalerManifestTest.parse(yaml);
        assertThat(back.in(null)).isEqualTo(api());
    }

    @Test
    void describeShowsMetricsConditionsAndRecentDecisions() {
        at(0, new DeploymentApplied(Samples.deployment("web", 1), 1));
        at(1, new DeploymentScaled("web", 4, 2, null, "manual, before the autoscaler"));
        at(2, new HorizontalPodAutoscalerApplied(web()));
        at(10, status("web", 10, 1, 1, List.of(new MetricStatus("Resource", "cpu", 20, 40L)), "within tolerance",
                condition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size"),
                condition("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)"),
                condition("ScalingLimited", "False", "DesiredWithinRange", "the desired count is within the acceptable range")));
        at(60, new DeploymentScaled("web", 3, 3, null, "New size: 3; reason: cpu resource utilization (percentage of request) above target"));
        at(61, status("web", 61, 3, 3, List.of(new MetricStatus("Resource", "cpu", 45, 90L)),
                "New size: 3; reason: cpu resource utilization (percentage of request) above target",
                condition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")));
        at(120, status("web", 120, 3, 3, List.of(), "no metrics for 3 pods",
                condition("ScalingActive", "False", "FailedGetResourceMetric", "unable to get metrics for resource cpu: no metrics returned")));

        String described = AutoscalerDescription.describe(view, "default", "web", NOW);

        assertThat(described).contains("resource cpu on pods  (as a percentage of request):  <unknown> / 50%")
                .contains("Deployment pods:                                       3 current / 3 desired")
                .contains("  ScalingActive   False    FailedGetResourceMetric   unable to get metrics for resource cpu: no metrics returned")
                .contains("  Normal    SuccessfulRescale         4m     horizontal-pod-autoscaler   New size: 3; reason: cpu resource")
                .contains("  Warning   FailedGetResourceMetric   3m     horizontal-pod-autoscaler   unable to get metrics for resource cpu: no metrics returned")
                .doesNotContain("manual, before the autoscaler")
                .as("keeping the size is no event, as in Kubernetes").doesNotContain("DesiredReplicas").doesNotContain("within tolerance");
    }

    @Test
    void describeOfAnAutoscalerWhoseTargetIsMissing() {
        at(0, new HorizontalPodAutoscalerApplied(web()));
        String described = AutoscalerDescription.describe(view, "default", "web", NOW);
        assertThat(described).contains("Deployment pods:").contains("<target not found>").contains("Events:").contains("<none>");
        assertThat(AutoscalerDescription.describe(view, "default", "nope", NOW)).isNull();
        assertThat(AutoscalerDescription.describe(view, "shop", "web", NOW)).isNull();
    }

    @Test
    void describeLabelsPodsAndAverageValueMetricsAsKubectl() {
        assertThat(AutoscalerDescription.metricLabel(MetricSpec.requestsPerSecond(10_000))).isEqualTo("\"requests_per_second\" on pods");
        MetricSpec memory = new MetricSpec("Resource", "memory", MetricTarget.averageValueMilli(100L * 1048576 * 1000));
        assertThat(AutoscalerDescription.metricLabel(memory)).isEqualTo("resource memory on pods");
        assertThat(AutoscalerDescription.metricValue(memory, new MetricStatus("Resource", "memory", null, 12L * 1048576 * 1000))).isEqualTo("12Mi / 100Mi");
        assertThat(AutoscalerDescription.metricValue(MetricSpec.cpuUtilization(50), new MetricStatus("Resource", "cpu", 45, 90L))).isEqualTo("45% (90m) / 50%");
        assertThat(AutoscalerDescription.metricValue(MetricSpec.requestsPerSecond(10_000), new MetricStatus("Pods", "requests_per_second", null, 4500L)))
                .isEqualTo("4500m / 10");
    }

    @Test
    void scalingAnAutoscaledDeploymentWarnsThatItWillBeOverridden() {
        at(0, new DeploymentApplied(Samples.deployment("web", 1), 1));
        assertThat(AutoscaleCommand.overrideWarning(view, "default", "web")).isNull();
        at(1, new HorizontalPodAutoscalerApplied(web()));
        assertThat(AutoscaleCommand.overrideWarning(view, "default", "web")).startsWith("Warning: HorizontalPodAutoscaler web manages deployment/web"
                + " and will override this scale (it keeps 1 to 5 replicas on its metrics)");
        assertThat(AutoscaleCommand.overrideWarning(view, "shop", "web")).isNull();
    }

    @Test
    void autoscaleFlagsAsKubectls() {
        HorizontalPodAutoscalerSpec s = AutoscaleCommand.spec("default", "web", null, null, 5, null);
        assertThat(s.name()).isEqualTo("web");
        assertThat(s.metrics()).containsExactly(MetricSpec.cpuUtilization(80));
        assertThat(s.withDefaults().minReplicas()).isEqualTo(1);
        HorizontalPodAutoscalerSpec named = AutoscaleCommand.spec("shop", "web", "web-hpa", 2, 6, 50);
        assertThat(named.key()).isEqualTo("shop/web-hpa");
        assertThat(named.targetKey()).isEqualTo("shop/web");
        assertThat(named.metrics()).containsExactly(MetricSpec.cpuUtilization(50));
    }

    @Test
    void eventLinesNameTheAutoscalerAndTheScalesReason() {
        Payload scaled = new DeploymentScaled("web", 3, 3, null, "New size: 3; reason: cpu resource utilization (percentage of request) above target");
        assertThat(EventText.message(scaled)).isEqualTo("desired: 3 replicas, generation 3 (New size: 3; reason: cpu resource utilization"
                + " (percentage of request) above target)");
        assertThat(EventText.message(new ScaleDeployment("web", 3, null, "autoscaler web: cpu 90% of request, target 50%")))
                .isEqualTo("scale to 3 replicas (autoscaler web: cpu 90% of request, target 50%)");
        assertThat(EventText.message(new ScaleDeployment("web", 1))).isEqualTo("scale to 1 replica");
        assertThat(EventText.object(new ApplyHorizontalPodAutoscaler(web()))).isEqualTo("hpa/web");
        assertThat(EventText.message(new ApplyHorizontalPodAutoscaler(api()))).isEqualTo("apply: Deployment/api 2-10 replicas on requests_per_second 10, memory 100Mi");
        assertThat(EventText.object(new HorizontalPodAutoscalerDeleted("shop", "web"))).isEqualTo("hpa/web");
        assertThat(EventText.namespace(new HorizontalPodAutoscalerDeleted("shop", "web"), p -> null)).isEqualTo("shop");
        HorizontalPodAutoscalerStatus st = status("web", 5, 2, 3, List.of(new MetricStatus("Resource", "cpu", 90, 180L)), "cpu above target");
        assertThat(EventText.object(st)).isEqualTo("hpa/web");
        assertThat(EventText.message(st)).isEqualTo("2 -> 3 replicas, cpu 90%: cpu above target");
        CommandAccepted accepted = new CommandAccepted("c1", "ApplyHorizontalPodAutoscaler", "shop/web", "horizontalpodautoscaler.autoscaling/web created");
        assertThat(EventText.object(accepted)).isEqualTo("hpa/web");
        assertThat(EventText.namespace(accepted, p -> null)).isEqualTo("shop");
    }
}
