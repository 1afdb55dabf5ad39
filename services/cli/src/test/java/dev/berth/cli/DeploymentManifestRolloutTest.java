package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.bus.contract.Probe;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rollout fields of a Deployment manifest, annotations and health probes; refusals in Kubernetes' words. */
class DeploymentManifestRolloutTest {

    static String deployment(String spec) { return deployment("", spec, "", ""); }

    static String deployment(String metadata, String spec, String templateMetadata, String container) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                """ + metadata.indent(2) + """
                spec:
                  selector: {matchLabels: {app: web}}
                """ + spec.indent(2) + """
                  template:
                    metadata:
                      labels: {app: web}
                """ + templateMetadata.indent(6) + """
                    spec:
                      containers:
                      - name: web
                        image: nginx
                """ + container.indent(8);
    }

    static DeploymentManifest.Parsed parse(String yaml) throws Exception { return DeploymentManifest.parse(yaml); }

    @Test
    void readsEveryRolloutFieldAndNoneIsIgnored() throws Exception {
        var parsed = parse(deployment("annotations: {kubernetes.io/change-cause: \"nginx 1.25\", team: shop}\n", """
                strategy:
                  type: RollingUpdate
                  rollingUpdate: {maxSurge: 1, maxUnavailable: "50%"}
                minReadySeconds: 5
                progressDeadlineSeconds: 120
                revisionHistoryLimit: 3
                paused: true
                """, "annotations: {prometheus.io/scrape: \"true\"}\n", """
                livenessProbe:
                  httpGet: {path: /healthz, port: 80}
                  failureThreshold: 5
                startupProbe:
                  exec: {command: [cat, /tmp/started]}
                  periodSeconds: 2
                """));

        DeploymentSpec d = parsed.deployment();
        assertThat(d.rollout()).isEqualTo(new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "50%"), 5, 120, 3, true));
        assertThat(d.annotations()).isEqualTo(Map.of(DeploymentSpec.CHANGE_CAUSE, "nginx 1.25", "team", "shop"));
        assertThat(d.changeCause()).isEqualTo("nginx 1.25");
        assertThat(d.template().annotations()).isEqualTo(Map.of("prometheus.io/scrape", "true"));
        Probe liveness = d.template().livenessProbe();
        assertThat(liveness.httpGet().path()).isEqualTo("/healthz");
        assertThat(liveness.failureThreshold()).isEqualTo(5);
        assertThat(d.template().startupProbe().exec().command()).containsExactly("cat", "/tmp/started");
        assertThat(d.template().startupProbe().periodSeconds()).isEqualTo(2);
        assertThat(parsed.ignored()).isEmpty();
    }

    @Test
    void withoutThemKubernetesDefaultsHold() throws Exception {
        DeploymentSpec d = parse(deployment("")).deployment();
        assertThat(d.rollout()).isEqualTo(DeploymentSpec.Rollout.DEFAULT);
        assertThat(d.rollout().strategy()).isEqualTo(new DeploymentStrategy("RollingUpdate", "25%", "25%"));
        assertThat(d.rollout().progressDeadlineSeconds()).isEqualTo(600);
        assertThat(d.rollout().revisionHistoryLimit()).isEqualTo(10);
        assertThat(d.annotations()).isEmpty();
        assertThat(d.template().livenessProbe()).isNull();
    }

    @Test
    void recreateAndAHalfGivenRollingUpdate() throws Exception {
        assertThat(parse(deployment("strategy: {type: Recreate}\n")).deployment().rollout().strategy()).isEqualTo(DeploymentStrategy.recreate());
        assertThat(parse(deployment("strategy: {rollingUpdate: {maxSurge: 0}}\n")).deployment().rollout().strategy())
                .isEqualTo(DeploymentStrategy.rolling("0", "25%"));
        var unknown = parse(deployment("strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 2, partition: 1}, canary: x}\n"));
        assertThat(unknown.ignored()).containsExactlyInAnyOrder("spec.strategy.canary: not supported by Berth, ignored",
                "spec.strategy.rollingUpdate.partition: not supported by Berth, ignored");
    }

    @Test
    void refusesWhatKubernetesRefusesInItsWords() {
        refused(deployment("strategy: {type: BlueGreen}\n"),
                "spec.strategy.type: Unsupported value: \"BlueGreen\": supported values: \"Recreate\", \"RollingUpdate\"");
        refused(deployment("strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n"),
                "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
        refused(deployment("strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n"),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0");
        refused(deployment("strategy: {rollingUpdate: {maxSurge: \"0%\", maxUnavailable: \"0%\"}}\n"),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0");
        refused(deployment("strategy: {rollingUpdate: {maxUnavailable: \"150%\"}}\n"),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%");
        refused(deployment("strategy: {rollingUpdate: {maxSurge: -1}}\n"),
                "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0");
        refused(deployment("strategy: {rollingUpdate: {maxSurge: lots}}\n"),
                "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"lots\": 'lots' must be a number or a percentage, e.g. 1 or 25%");
        refused(deployment("minReadySeconds: -1\n"), "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0");
        refused(deployment("minReadySeconds: 30\nprogressDeadlineSeconds: 30\n"),
                "spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds");
        refused(deployment("minReadySeconds: 700\n"), "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds");
        refused(deployment("revisionHistoryLimit: -2\n"), "spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0");
        refused(deployment("paused: maybe\n"), "spec.paused: expected true or false");
        refused(deployment("", "", "", "livenessProbe: {tcpSocket: {port: 80}, successThreshold: 2}\n"),
                "spec.template.spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1");
        refused(deployment("", "", "", "startupProbe: {periodSeconds: 2}\n"),
                "spec.template.spec.containers[0].startupProbe: must specify exactly one of httpGet, tcpSocket or exec");
        refused(deployment("annotations: [a, b]\n", "", "", ""),
                "metadata.annotations: expected a map of annotation to value, e.g. {kubernetes.io/change-cause: \"image 1.2\"}");
    }

    static void refused(String yaml, String message) {
        assertThatThrownBy(() -> DeploymentManifest.parse(yaml)).isInstanceOf(DeploymentManifest.InvalidManifest.class).hasMessage(message);
    }
}
