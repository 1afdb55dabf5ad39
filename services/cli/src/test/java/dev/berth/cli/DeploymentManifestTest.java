package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.Toleration;

import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(d.template().resources().cpuMillis()).isEqualTo(250);
        assertThat(d.template().resources().memoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(d.template().command()).containsExactly("sh", "-c");
        assertThat(d.template().env()).containsEntry("GREETING", "hello");
        assertThat(d.template().terminationGracePeriodSeconds()).isEqualTo(5);
        assertThat(parsed.ignored()).isEmpty();
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
                  template:
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

        assertThat(parsed.deployment().template().resources().cpuMillis()).isEqualTo(500);
        assertThat(parsed.ignored()).anyMatch(s -> s.startsWith("metadata.annotations"))
                .anyMatch(s -> s.startsWith("spec.strategy"))
                .anyMatch(s -> s.startsWith("spec.template.spec.hostNetwork"))
                .noneMatch(s -> s.startsWith("spec.template.spec.containers[0].ports")) // supported since pod networking
                .anyMatch(s -> s.contains("only the first container runs"));
    }

    @Test
    void honoursNodeSelectorAndTolerations() throws Exception {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
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
                  template:
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
    void refusesOtherKindsAndMissingLimits() {
        assertThatThrownBy(() -> DeploymentManifest.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"))
                .hasMessageContaining("kind is 'Pod'");
        assertThatThrownBy(() -> DeploymentManifest.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: a, image: busybox}]}}}
                """)).hasMessageContaining("cpu and memory are required");
        assertThatThrownBy(() -> DeploymentManifest.parse(": : :\n- [")).hasMessageContaining("not valid YAML");
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
