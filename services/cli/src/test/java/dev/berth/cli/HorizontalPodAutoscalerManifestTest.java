package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.bus.contract.ApplyHorizontalPodAutoscaler;
import dev.berth.bus.contract.DeleteHorizontalPodAutoscaler;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HpaBehavior;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.MetricTarget;
import dev.berth.bus.contract.ScaleTargetRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** autoscaling/v2 and v1 HorizontalPodAutoscalers as users write them, including the shapes of Kubernetes' own documentation. */
class HorizontalPodAutoscalerManifestTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static HorizontalPodAutoscalerManifest.Parsed parse(String yaml) throws Exception {
        return HorizontalPodAutoscalerManifest.parse(YAML.readTree(yaml));
    }

    static HorizontalPodAutoscalerSpec spec(String yaml) throws Exception { return parse(yaml).autoscaler(); }

    static String refused(String yaml) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(DeploymentManifest.InvalidManifest.class, () -> parse(yaml)).getMessage();
    }

    /** kubernetes/website's application/hpa/php-apache.yaml is written in YAML's flow style, as JSON is. */
    static final String PHP_APACHE = """
            ---
            {
              apiVersion: "autoscaling/v2",
              kind: "HorizontalPodAutoscaler",
              metadata: {
                name: "php-apache",
              },
              spec: {
                scaleTargetRef: {
                  apiVersion: "apps/v1",
                  kind: "Deployment",
                  name: "php-apache",
                },
                minReplicas: 1,
                maxReplicas: 10,
                metrics: [{
                  type: "Resource",
                  resource: {
                    name: "cpu",
                    target: {
                      type: "Utilization",
                      averageUtilization: 50,
                    },
                  },
                }],
              },
            }
            """;

    static String v2(String spec) {
        return """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: web
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                """ + spec.indent(2);
    }

    @Test
    void theWebsitesPhpApacheExample() throws Exception {
        HorizontalPodAutoscalerManifest.Parsed parsed = parse(PHP_APACHE);
        assertThat(parsed.autoscaler()).isEqualTo(new HorizontalPodAutoscalerSpec(null, "php-apache", ScaleTargetRef.deployment("php-apache"),
                1, 10, List.of(MetricSpec.cpuUtilization(50)), null));
        assertThat(parsed.ignored()).isEmpty();
        assertThat(parsed.namespace()).isNull();
        assertThat(parsed.in(null).namespace()).isEqualTo("default");
    }

    @Test
    void theWalkthroughsV1Form() throws Exception {
        HorizontalPodAutoscalerSpec s = spec("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata:
                  name: php-apache
                  namespace: default
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: php-apache
                  minReplicas: 1
                  maxReplicas: 10
                  targetCPUUtilizationPercentage: 50
                """);
        assertThat(s.metrics()).containsExactly(MetricSpec.cpuUtilization(50));
        assertThat(s.maxReplicas()).isEqualTo(10);
    }

    @Test
    void v1WithoutATargetTakesTheDefaultOnApply() throws Exception {
        HorizontalPodAutoscalerSpec s = spec("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {kind: Deployment, name: web}
                  maxReplicas: 3
                """);
        assertThat(s.metrics()).isEmpty();
        assertThat(s.minReplicas()).isNull();
        assertThat(s.withDefaults().metrics()).containsExactly(MetricSpec.cpuUtilization(80));
        assertThat(s.withDefaults().minReplicas()).isEqualTo(1);
    }

    @Test
    void resourceAndPodsMetricsWithQuantitiesInMilliUnits() throws Exception {
        HorizontalPodAutoscalerSpec s = spec(v2("""
                minReplicas: 2
                maxReplicas: 20
                metrics:
                - type: Resource
                  resource:
                    name: cpu
                    target: {type: AverageValue, averageValue: 500m}
                - type: Resource
                  resource:
                    name: memory
                    target: {type: AverageValue, averageValue: 100Mi}
                - type: Resource
                  resource:
                    name: memory
                    target: {type: Utilization, averageUtilization: 70}
                - type: Pods
                  pods:
                    metric: {name: requests_per_second}
                    target: {type: AverageValue, averageValue: "10"}
                - type: Pods
                  pods:
                    metric: {name: requests_per_second}
                    target: {type: AverageValue, averageValue: 1k}
                - type: Pods
                  pods:
                    metric: {name: requests_per_second}
                    target: {type: AverageValue, averageValue: 2.5}
                """));
        assertThat(s.metrics()).containsExactly(
                new MetricSpec("Resource", "cpu", MetricTarget.averageValueMilli(500)),
                new MetricSpec("Resource", "memory", MetricTarget.averageValueMilli(100L * 1048576 * 1000)),
                new MetricSpec("Resource", "memory", MetricTarget.utilization(70)),
                MetricSpec.requestsPerSecond(10_000),
                MetricSpec.requestsPerSecond(1_000_000),
                MetricSpec.requestsPerSecond(2_500));
        assertThat(s.minReplicas()).isEqualTo(2);
    }

    @Test
    void behaviourAsTheHpaDocumentationWritesIt() throws Exception {
        HorizontalPodAutoscalerSpec s = spec(v2("""
                maxReplicas: 10
                behavior:
                  scaleDown:
                    stabilizationWindowSeconds: 300
                    policies:
                    - type: Percent
                      value: 10
                      periodSeconds: 60
                    - type: Pods
                      value: 5
                      periodSeconds: 60
                    selectPolicy: Min
                  scaleUp:
                    stabilizationWindowSeconds: 0
                    policies:
                    - type: Percent
                      value: 100
                      periodSeconds: 15
                    - type: Pods
                      value: 4
                      periodSeconds: 15
                    selectPolicy: Max
                """));
        assertThat(s.behavior()).isEqualTo(new HpaBehavior(
                new HpaScalingRules(0, "Max", List.of(new HpaScalingPolicy("Percent", 100, 15), new HpaScalingPolicy("Pods", 4, 15))),
                new HpaScalingRules(300, "Min", List.of(new HpaScalingPolicy("Percent", 10, 60), new HpaScalingPolicy("Pods", 5, 60)))));
        assertThat(s.withDefaults().behavior()).isEqualTo(s.behavior());
    }

    @Test
    void disabledScaleDownAndAPartialBehaviour() throws Exception {
        HorizontalPodAutoscalerSpec s = spec(v2("""
                maxReplicas: 10
                behavior:
                  scaleDown:
                    selectPolicy: Disabled
                """));
        assertThat(s.behavior().scaleDown()).isEqualTo(new HpaScalingRules(null, "Disabled", null));
        assertThat(s.behavior().scaleUp()).isNull();
        HpaBehavior defaulted = s.withDefaults().behavior();
        assertThat(defaulted.scaleUp()).isEqualTo(HpaScalingRules.defaultScaleUp());
        assertThat(defaulted.scaleDown().selectPolicy()).isEqualTo("Disabled");
        assertThat(defaulted.scaleDown().stabilizationWindowSeconds()).isEqualTo(300);
    }

    @Test
    void numbersWrittenAsStringsAreRead() throws Exception {
        HorizontalPodAutoscalerSpec s = spec(v2("""
                minReplicas: "2"
                maxReplicas: "4"
                metrics:
                - type: Resource
                  resource: {name: cpu, target: {type: Utilization, averageUtilization: "60"}}
                """));
        assertThat(s.minReplicas()).isEqualTo(2);
        assertThat(s.maxReplicas()).isEqualTo(4);
        assertThat(s.metrics()).containsExactly(MetricSpec.cpuUtilization(60));
    }

    @Test
    void theWalkthroughsObjectMetricIsRefusedByName() {
        String walkthrough = v2("""
                minReplicas: 1
                maxReplicas: 10
                metrics:
                - type: Resource
                  resource:
                    name: cpu
                    target:
                      type: Utilization
                      averageUtilization: 50
                - type: Pods
                  pods:
                    metric:
                      name: packets_per_second
                    target:
                      type: AverageValue
                      averageValue: 1k
                - type: Object
                  object:
                    metric:
                      name: requests-per-second
                    describedObject:
                      apiVersion: networking.k8s.io/v1
                      kind: Ingress
                      name: main-route
                    target:
                      type: Value
                      value: 10k
                """);
        assertThat(refused(walkthrough)).isEqualTo("spec.metrics[2].type: Object metrics are not supported by Berth: it measures Resource"
                + " metrics (cpu, memory) and the Pods metric requests_per_second (from its proxy)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "External|queue_messages_ready",
            "ContainerResource|cpu",
            "Object|requests"})
    void metricsBerthHasNoSourceForAreRefused(String type, String name) {
        String yaml = v2("""
                maxReplicas: 3
                metrics:
                - type: %s
                  %s:
                    metric: {name: %s}
                    target: {type: AverageValue, averageValue: 30}
                """.formatted(type, Character.toLowerCase(type.charAt(0)) + type.substring(1), name));
        assertThat(refused(yaml)).startsWith("spec.metrics[0].type: " + type + " metrics are not supported by Berth");
    }

    @Test
    void theV2beta2FormIsRefusedWithTheWayOut() {
        String old = v2("maxReplicas: 3").replace("autoscaling/v2", "autoscaling/v2beta2");
        assertThat(refused(old)).startsWith("apiVersion autoscaling/v2beta2 was removed in Kubernetes 1.26").contains("write autoscaling/v2");
        assertThat(refused(v2("maxReplicas: 3").replace("autoscaling/v2", "autoscaling/v3"))).contains("expected autoscaling/v2 or autoscaling/v1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'minReplicas: 5\nmaxReplicas: 2'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to minReplicas",
            "'minReplicas: 0\nmaxReplicas: 2'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
            "'minReplicas: 1'|spec.maxReplicas: Required value",
            "'maxReplicas: three'|spec.maxReplicas: expected a whole number, not \"three\"",
            "'maxReplicas: 2.5'|spec.maxReplicas: expected a whole number, not 2.5",
            "'maxReplicas: 3\nmetrics: {type: Resource}'|spec.metrics: expected a list of metrics",
            "'maxReplicas: 3\nmetrics: [{type: Resource, resource: {name: gpu, target: {type: Utilization, averageUtilization: 50}}}]'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.metrics[0].resource.name: Unsupported value: \"gpu\": supported values: \"cpu\", \"memory\"",
            "'maxReplicas: 3\nmetrics: [{type: Resource, resource: {name: cpu}}]'|spec.metrics[0].resource.target: Required value (type: Utilization or AverageValue)",
            "'maxReplicas: 3\nmetrics: [{type: Resource, resource: {target: {type: Utilization, averageUtilization: 5}}}]'|spec.metrics[0].resource.name: Required value (cpu or memory)",
            "'maxReplicas: 3\nmetrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization}}}]'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.metrics[0].resource.target.averageUtilization: Required value: must be set when type is Utilization",
            "'maxReplicas: 3\nmetrics: [{type: Resource, resource: {name: cpu, target: {type: AverageValue, averageValue: lots}}}]'|spec.metrics[0].resource.target.averageValue: 'lots' is not a quantity (e.g. 500m, 10, 1k, 64Mi)",
            "'maxReplicas: 3\nmetrics: [{type: Resource, resource: {name: cpu, target: {type: Value, value: 1}}}]'|spec.metrics[0].resource.target.type: Value targets are for Object and External metrics, which Berth does not have; use AverageValue (per pod)",
            "'maxReplicas: 3\nmetrics: [{type: Pods, pods: {metric: {name: requests_per_second}, target: {type: Utilization, averageUtilization: 50}}}]'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.metrics[0].pods.target.type: Invalid value: \"Utilization\": must be AverageValue for a Pods metric",
            "'maxReplicas: 3\nmetrics: [{type: Pods, pods: {metric: {name: packets-per-second}, target: {type: AverageValue, averageValue: 1k}}}]'|spec.metrics[0].pods.metric.name: Invalid value: \"packets-per-second\": Berth's metric names are letters, digits, '_' and ':' (its proxy provides requests_per_second)",
            "'maxReplicas: 3\nmetrics: [{type: Pods, pods: {metric: {name: requests_per_second, selector: {matchLabels: {verb: GET}}}, target: {type: AverageValue, averageValue: 1}}}]'|spec.metrics[0].pods.metric.selector: not supported by Berth: its Pods metrics carry no labels to select by",
            "'maxReplicas: 3\nmetrics: [{type: Pods, pods: {target: {type: AverageValue, averageValue: 1}}}]'|spec.metrics[0].pods.metric.name: Required value (e.g. requests_per_second)",
            "'maxReplicas: 3\nmetrics: [{type: Gpu}]'|spec.metrics[0].type: Unsupported value: \"Gpu\": supported values: \"Pods\", \"Resource\"",
            "'maxReplicas: 3\nbehavior: {scaleUp: {policies: [{type: Nodes, value: 1, periodSeconds: 15}]}}'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.behavior.scaleUp.policies[0].type: Unsupported value: \"Nodes\": supported values: \"Percent\", \"Pods\"",
            "'maxReplicas: 3\nbehavior: {scaleDown: {stabilizationWindowSeconds: 7200}}'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 7200: must be less than or equal to 3600 and greater than or equal to 0",
            "'maxReplicas: 3\nbehavior: {scaleDown: {selectPolicy: Fastest}}'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.behavior.scaleDown.selectPolicy: Unsupported value: \"Fastest\": supported values: \"Disabled\", \"Max\", \"Min\"",
            "'maxReplicas: 3\nbehavior: {scaleDown: {policies: [{type: Pods, value: 1}]}}'|spec.behavior.scaleDown.policies[0].periodSeconds: Required value",
            "'maxReplicas: 3\nbehavior: {scaleDown: {policies: [{value: 1, periodSeconds: 60}]}}'|spec.behavior.scaleDown.policies[0].type: Required value (Pods or Percent)",
            "'maxReplicas: 3\nbehavior: {scaleDown: {policies: [{type: Pods, value: 0, periodSeconds: 60}]}}'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero",
            "'maxReplicas: 3\nbehavior: {scaleDown: {policies: [{type: Pods, value: 1, periodSeconds: 3600}]}}'|HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 3600: must be greater than zero and less than or equal to 1800",
            "'maxReplicas: 3\nbehavior: [scaleUp]'|spec.behavior: expected {scaleUp, scaleDown}"})
    void mistakesAreNamedBeforeAnythingIsSent(String spec, String problem) {
        assertThat(refused(v2(spec))).isEqualTo(problem);
    }

    @Test
    void severalProblemsAreListedTogetherAsKubernetesDoes() {
        String message = refused(v2("""
                minReplicas: 4
                maxReplicas: 2
                metrics:
                - type: Resource
                  resource: {name: cpu, target: {type: Utilization, averageUtilization: 0}}
                """));
        assertThat(message).isEqualTo("HorizontalPodAutoscaler.autoscaling \"web\" is invalid: [spec.maxReplicas: Invalid value: 2: must be"
                + " greater than or equal to minReplicas, spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0]");
    }

    @Test
    void theTargetMustBeANamedDeployment() {
        String head = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  maxReplicas: 3
                """;
        assertThat(refused(head + "  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}\n"))
                .isEqualTo("spec.scaleTargetRef.kind: Berth autoscales Deployments only, not StatefulSet");
        assertThat(refused(head + "  scaleTargetRef: {kind: Deployment}\n")).isEqualTo("spec.scaleTargetRef.name: Required value");
        assertThat(refused(head + "  scaleTargetRef: {name: web}\n")).isEqualTo("spec.scaleTargetRef.kind: Required value");
        assertThat(refused(head + "  scaleTargetRef: {apiVersion: extensions/v1beta1, kind: Deployment, name: web}\n"))
                .isEqualTo("spec.scaleTargetRef.apiVersion: a Deployment is apps/v1, not extensions/v1beta1");
        assertThat(refused(head)).startsWith("spec.scaleTargetRef: Required value");
        assertThat(refused(head.replace("metadata: {name: web}", "metadata: {}") + "  scaleTargetRef: {kind: Deployment, name: web}\n"))
                .isEqualTo("metadata.name is required");
        assertThat(refused("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n")).startsWith("spec: Required value");
    }

    @Test
    void unknownFieldsAreIgnoredWithAWordAndStatusIsLeftToTheAutoscaler() throws Exception {
        HorizontalPodAutoscalerManifest.Parsed parsed = parse(v2("""
                maxReplicas: 3
                minReplicas: 1
                metrics:
                - type: Pods
                  pods:
                    metric: {name: http_requests}
                    target: {type: AverageValue, averageValue: 500m}
                behavior:
                  scaleUp: {tolerance: 0.05}
                """).replace("metadata:\n  name: web", "metadata:\n  name: web\n  labels: {app: web}\n  annotations: {a: b}")
                + "status:\n  currentReplicas: 1\n");
        assertThat(parsed.autoscaler().metrics()).containsExactly(new MetricSpec("Pods", "http_requests", MetricTarget.averageValueMilli(500)));
        assertThat(parsed.ignored()).containsExactlyInAnyOrder(
                "metadata.labels: not supported by Berth, ignored",
                "metadata.annotations: not supported by Berth, ignored",
                "status: set by the autoscaler, ignored",
                "spec.behavior.scaleUp.tolerance: not supported by Berth, ignored",
                "spec.metrics[0].pods.metric.name: Berth measures only requests_per_second; the autoscaler will report http_requests missing");
    }

    @Test
    void applyAndDeleteCommandsAndTheNamespaceFlag() throws Exception {
        JsonNode object = YAML.readTree(v2("maxReplicas: 3").replace("name: web\n", "name: web\n  namespace: shop\n"));
        ManifestReader.Item item = new ManifestReader.Item("hpa.yaml", object, null);
        assertThat(item.ref()).isEqualTo("horizontalpodautoscaler.autoscaling/web");
        List<String> warnings = new ArrayList<>();
        assertThat(ApplyCommand.command(item, "apply", null, warnings)).isInstanceOfSatisfying(ApplyHorizontalPodAutoscaler.class,
                a -> assertThat(a.autoscaler().key()).isEqualTo("shop/web"));
        assertThat(ApplyCommand.command(item, "delete", "shop", warnings)).isEqualTo(new DeleteHorizontalPodAutoscaler("shop", "web"));
        assertThatThrownBy(() -> ApplyCommand.command(item, "apply", "other", warnings))
                .hasMessageContaining("the namespace from the provided object \"shop\" does not match the namespace \"other\"");
    }

    @Test
    void multiDocumentFilesCarryAutoscalersBesideDeployments() throws Exception {
        List<ManifestReader.Item> items = new ArrayList<>();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("hpa", ".yaml");
        try {
            java.nio.file.Files.writeString(file, """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: php-apache}
                    spec:
                      selector: {matchLabels: {run: php-apache}}
                      template:
                        metadata: {labels: {run: php-apache}}
                        spec:
                          containers:
                          - {name: php-apache, image: registry.k8s.io/hpa-example, resources: {limits: {cpu: 500m}, requests: {cpu: 200m}}}
                    """ + PHP_APACHE);
            items.addAll(ManifestReader.read(file.toString(), System.in));
        } finally {
            java.nio.file.Files.delete(file);
        }
        assertThat(items).extracting(ManifestReader.Item::ref).containsExactly("deployment.apps/php-apache", "horizontalpodautoscaler.autoscaling/php-apache");
        assertThat(ApplyCommand.command(items.get(1), "apply", null, new ArrayList<>())).isInstanceOf(ApplyHorizontalPodAutoscaler.class);
    }

    @ParameterizedTest
    @CsvSource({"500m,500", "10,10000", "1k,1000000", "1Mi,1048576000", "1.5,1500", "0.1,100", "2e3,2000000", "1u,1", "100n,1", "1Gi,1073741824000"})
    void quantitiesInMilliUnits(String quantity, long milli) {
        assertThat(Quantities.milliValue(quantity)).isEqualTo(milli);
    }

    @ParameterizedTest
    @CsvSource({"4500,false,4500m", "10000,false,10", "1000000,false,1k", "104857600000,true,100Mi", "0,false,0", "1500,true,1500m"})
    void milliUnitsPrintedAsKubernetesQuantities(long milli, boolean memory, String text) {
        assertThat(Quantities.formatMilli(milli, memory)).isEqualTo(text);
    }

    @Test
    void notAQuantity() {
        assertThatThrownBy(() -> Quantities.milliValue("ten")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Quantities.milliValue("1Qi")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Quantities.milliValue("99999999999E")).hasMessageContaining("too large");
    }
}
