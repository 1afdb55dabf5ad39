package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.Selector;
import dev.berth.bus.contract.Toleration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentManifestTest {

    @Test
    void readsTheExampleManifest() throws Exception {
        var parsed = DeploymentManifest.parse(Files.readString(Path.of("../../examples/busybox.yaml")));

        var d = parsed.deployment();
        assertThat(d.name()).isEqualTo("hello");
        assertThat(d.replicas()).isEqualTo(3);
        assertThat(d.template().image()).isEqualTo("busybox");
        assertThat(d.template().resources().limits()).isEqualTo(ResourceList.of(250, 64L * 1024 * 1024));
        assertThat(d.template().resources().requests()).isEqualTo(ResourceList.NONE);
        assertThat(d.template().resources().requested()).isEqualTo(new Resources(250, 64L * 1024 * 1024));
        assertThat(d.template().command()).containsExactly("sh", "-c");
        assertThat(d.template().env()).containsEntry("GREETING", "hello");
        assertThat(d.template().terminationGracePeriodSeconds()).isEqualTo(5);
        assertThat(parsed.ignored()).isEmpty();
        assertThat(d.selector()).isEqualTo(Selector.matching(Map.of("app", "hello")));
        assertThat(d.template().labels()).isEqualTo(Map.of("app", "hello"));
    }

    static final String LABELLED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {team: shop, app.kubernetes.io/name: web}
            spec:
              selector:
                matchLabels: {app: web}
                matchExpressions:
                  - {key: tier, operator: In, values: [frontend, edge]}
                  - {key: legacy, operator: DoesNotExist}
              template:
                metadata:
                  labels: {app: web, tier: frontend, empty: }
                spec:
                  containers: [{name: web, image: busybox, resources: {limits: {cpu: 100m, memory: 64Mi}}}]
            """;

    @Test
    void readsTheDeploymentsLabelsItsSelectorAndThePodsLabels() throws Exception {
        var parsed = DeploymentManifest.parse(LABELLED);

        var d = parsed.deployment();
        assertThat(d.labels()).isEqualTo(Map.of("team", "shop", "app.kubernetes.io/name", "web"));
        assertThat(d.selector()).isEqualTo(new Selector(Map.of("app", "web"), List.of(
                new Selector.Requirement("tier", "In", List.of("frontend", "edge")),
                new Selector.Requirement("legacy", "DoesNotExist", List.of()))));
        assertThat(d.template().labels()).isEqualTo(Map.of("app", "web", "tier", "frontend", "empty", ""));
        assertThat(parsed.ignored()).isEmpty();
        assertThat(d.selector().toLabelSelector().matches(d.template().labels())).isTrue();
    }

    @Test
    void aDeploymentWithoutSelectorIsRefusedAsApps_v1Does() {
        assertThatThrownBy(() -> DeploymentManifest.parse(LABELLED.replaceAll("(?s)  selector:.*?DoesNotExist}\n", "")))
                .hasMessage("spec.selector: Required value");
    }

    @Test
    void selectorsOfTheWrongShapeAreRefused() {
        String manifest = LABELLED.replaceAll("(?s)  selector:.*?DoesNotExist}\n", "  selector: %s\n");
        assertThatThrownBy(() -> DeploymentManifest.parse(manifest.formatted("app=web")))
                .hasMessageContaining("spec.selector: expected {matchLabels");
        assertThatThrownBy(() -> DeploymentManifest.parse(manifest.formatted("{matchLabels: {app: [web]}}")))
                .hasMessage("spec.selector.matchLabels.app: expected a label value");
        assertThatThrownBy(() -> DeploymentManifest.parse(manifest.formatted("{matchExpressions: {key: app}}")))
                .hasMessageContaining("spec.selector.matchExpressions: expected a list");
        assertThatThrownBy(() -> DeploymentManifest.parse(manifest.formatted("{matchExpressions: [{operator: Exists}]}")))
                .hasMessage("spec.selector.matchExpressions[0].key: Required value");
        assertThatThrownBy(() -> DeploymentManifest.parse(manifest.formatted("{matchExpressions: [{key: a, operator: In, values: web}]}")))
                .hasMessage("spec.selector.matchExpressions[0].values: expected a list of label values");
        assertThatThrownBy(() -> DeploymentManifest.parse(LABELLED.replace("labels: {team: shop, app.kubernetes.io/name: web}", "labels: [a]")))
                .hasMessageContaining("metadata.labels: expected a map");
    }

    @Test
    void reportsFieldsBerthDoesNotSupport() throws Exception {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, annotations: {a: b}}
                spec:
                  replicas: 2
                  strategy: {type: RollingUpdate}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}, annotations: {x: y}}
                    spec:
                      hostNetwork: true
                      containers:
                        - name: web
                          image: busybox
                          ports: [{containerPort: 80}]
                          resources: {limits: {cpu: "0.5", memory: 1Gi}}
                        - name: sidecar
                          image: busybox
                """;
        var parsed = DeploymentManifest.parse(yaml);

        assertThat(parsed.deployment().template().main().resources().limits().cpuMillis()).isEqualTo(500);
        assertThat(parsed.deployment().template().containerNames()).containsExactly("web", "sidecar");
        assertThat(parsed.ignored()).noneMatch(s -> s.startsWith("metadata.annotations")) // supported since rollouts
                .noneMatch(s -> s.startsWith("spec.strategy"))
                .noneMatch(s -> s.startsWith("spec.template.metadata.annotations"))
                .anyMatch(s -> s.startsWith("spec.template.spec.hostNetwork"))
                .noneMatch(s -> s.startsWith("spec.template.spec.containers[0].ports")) // supported since pod networking
                .noneMatch(s -> s.contains("only the first container runs")); // every container runs
    }

    @Test
    void honoursNodeSelectorAndTolerations() throws Exception {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/zone: a, disk: ssd}
                      tolerations:
                        - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}
                        - {key: maintenance, operator: Exists}
                        - {operator: Exists}
                        - {key: flaky, operator: Exists, effect: NoExecute, tolerationSeconds: 30}
                      containers: [{name: web, image: busybox, resources: {limits: {cpu: 100m, memory: 64Mi}}}]
                """;
        var parsed = DeploymentManifest.parse(yaml);

        var t = parsed.deployment().template();
        assertThat(t.nodeSelector()).isEqualTo(Map.of("topology.kubernetes.io/zone", "a", "disk", "ssd"));
        assertThat(t.tolerations()).containsExactly(
                new Toleration("dedicated", "Equal", "gpu", "NoSchedule"),
                new Toleration("maintenance", "Exists", null, null),
                new Toleration(null, "Exists", null, null));
        assertThat(parsed.ignored()).containsExactly(
                "spec.template.spec.tolerations[3].tolerationSeconds: not supported by Berth, ignored",
                "spec.template.spec.tolerations[3]: effect NoExecute not supported by Berth (taints are NoSchedule only), ignored");
    }

    @Test
    void refusesTolerationsKubernetesWouldRefuse() {
        String manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      tolerations: [%s]
                      containers: [{name: web, image: busybox, resources: {limits: {cpu: 100m, memory: 64Mi}}}]
                """;
        assertThatThrownBy(() -> DeploymentManifest.parse(manifest.formatted("{key: a, operator: Exists, value: b}")))
                .hasMessage("spec.template.spec.tolerations[0].value: must be empty when operator is Exists");
        assertThatThrownBy(() -> DeploymentManifest.parse(manifest.formatted("{value: b}")))
                .hasMessageContaining("tolerations[0].key: required unless operator is Exists");
        assertThatThrownBy(() -> DeploymentManifest.parse(manifest.formatted("{key: a, operator: In}")))
                .hasMessageContaining("'In' is not Equal or Exists");
    }

    @Test
    void refusesOtherKinds() {
        assertThatThrownBy(() -> DeploymentManifest.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"))
                .hasMessageContaining("kind is 'Pod'");
        assertThatThrownBy(() -> DeploymentManifest.parse(": : :\n- [")).hasMessageContaining("not valid YAML");
    }

    static final String CONTAINER = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: a, image: busybox%s}]}}}
            """;

    static ResourceRequirements resources(String container) throws Exception {
        return DeploymentManifest.parse(CONTAINER.formatted(container)).deployment().template().resources();
    }

    @Test
    void aContainerWithoutResourcesIsFine() throws Exception {
        var parsed = DeploymentManifest.parse(CONTAINER.formatted(""));

        assertThat(parsed.deployment().template().resources()).isEqualTo(ResourceRequirements.NONE);
        assertThat(parsed.ignored()).isEmpty();
    }

    @Test
    void readsRequestsAndLimitsApart() throws Exception {
        var r = resources(", resources: {requests: {cpu: 100m, memory: 32Mi}, limits: {cpu: 500m, memory: 128Mi}}");

        assertThat(r.requests()).isEqualTo(ResourceList.of(100, 32L << 20));
        assertThat(r.limits()).isEqualTo(ResourceList.of(500, 128L << 20));
        assertThat(r.requested()).isEqualTo(new Resources(100, 32L << 20));
    }

    @Test
    void requestsAloneLeaveTheContainerUncapped() throws Exception {
        var r = resources(", resources: {requests: {cpu: 250m}}");

        assertThat(r.requests()).isEqualTo(new ResourceList(250L, null, null));
        assertThat(r.limits()).isEqualTo(ResourceList.NONE);
        assertThat(r.requested()).isEqualTo(new Resources(250, 0));
    }

    @Test
    void limitsAloneAreAlsoTheRequests() throws Exception {
        var r = resources(", resources: {limits: {memory: 1Gi}}");

        assertThat(r.requests()).isEqualTo(ResourceList.NONE);
        assertThat(r.requested()).isEqualTo(new Resources(0, 1L << 30));
    }

    @Test
    void readsExtendedResourcesAsCounts() throws Exception {
        var r = resources(", resources: {limits: {nvidia.com/gpu: 2, example.com/foo: \"3\"}, requests: {nvidia.com/gpu: 2}}");

        assertThat(r.limits().extended()).isEqualTo(Map.of("nvidia.com/gpu", 2L, "example.com/foo", 3L));
        assertThat(r.requests().extended()).isEqualTo(Map.of("nvidia.com/gpu", 2L));
        assertThat(r.requested().extended()).isEqualTo(Map.of("nvidia.com/gpu", 2L, "example.com/foo", 3L));
    }

    @Test
    void refusesFractionalExtendedResourcesAndBadQuantities() {
        assertThatThrownBy(() -> resources(", resources: {limits: {nvidia.com/gpu: 0.5}}"))
                .hasMessage("spec.template.spec.containers[0].resources.limits.nvidia.com/gpu: '0.5' must be a whole number (extended resources are counted)");
        assertThatThrownBy(() -> resources(", resources: {requests: {cpu: lots}}"))
                .hasMessageContaining("resources.requests.cpu: 'lots' is not a quantity");
        assertThatThrownBy(() -> resources(", resources: {limits: [cpu]}"))
                .hasMessageContaining("resources.limits: expected a map");
    }

    @Test
    void ignoresResourcesBerthDoesNotKnow() throws Exception {
        var parsed = DeploymentManifest.parse(CONTAINER.formatted(", resources: {limits: {ephemeral-storage: 1Gi, cpu: 1}}"));

        assertThat(parsed.deployment().template().resources().limits()).isEqualTo(new ResourceList(1000L, null, null));
        assertThat(parsed.ignored()).singleElement().asString().startsWith("spec.template.spec.containers[0].resources.limits.ephemeral-storage: not supported");
    }

    @Test
    void quantities() {
        assertThat(Quantities.cpuMillis("250m")).isEqualTo(250);
        assertThat(Quantities.cpuMillis("2")).isEqualTo(2000);
        assertThat(Quantities.cpuMillis("0.1")).isEqualTo(100);
        assertThat(Quantities.memoryBytes("64Mi")).isEqualTo(67108864);
        assertThat(Quantities.memoryBytes("1G")).isEqualTo(1_000_000_000L);
        assertThat(Quantities.memoryBytes("512")).isEqualTo(512);
        assertThat(Quantities.formatMemory(64L << 20)).isEqualTo("64Mi");
        assertThat(Quantities.formatCpu(250)).isEqualTo("250m");
    }
}
