package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.Probe;
import dev.berth.bus.contract.SecurityContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentManifestProbesTest {

    static String deployment(String container, String pod) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                """ + pod.indent(6) + """
                      containers:
                      - name: web
                        image: nginx
                """ + container.indent(8);
    }

    @Test
    void readsAnHttpGetReadinessProbeByPortNameWithItsTimings() throws Exception {
        var parsed = DeploymentManifest.parse(deployment("""
                readinessProbe:
                  httpGet: {path: /healthz, port: http, scheme: HTTP, host: 127.0.0.1}
                  initialDelaySeconds: 2
                  periodSeconds: 5
                  timeoutSeconds: 3
                  successThreshold: 2
                  failureThreshold: 4
                livenessProbe:
                  tcpSocket: {port: 80}
                """, ""));

        Probe p = parsed.deployment().template().readinessProbe();
        assertThat(p.httpGet()).isEqualTo(new Probe.HttpGet("/healthz", 0, "http", "127.0.0.1", "HTTP"));
        assertThat(List.of(p.initialDelaySeconds(), p.periodSeconds(), p.timeoutSeconds(), p.successThreshold(), p.failureThreshold()))
                .containsExactly(2, 5, 3, 2, 4);
        assertThat(parsed.ignored()).as("liveness probes are supported since rollouts").isEmpty();
    }

    @Test
    void readsTcpSocketAndExecProbesWithKubernetesDefaults() throws Exception {
        Probe tcp = DeploymentManifest.parse(deployment("readinessProbe: {tcpSocket: {port: 8080}}\n", ""))
                .deployment().template().readinessProbe();
        assertThat(tcp.tcpSocket()).isEqualTo(new Probe.TcpSocket(8080, null, null));
        assertThat(tcp.periodSeconds()).isEqualTo(10);
        assertThat(tcp.failureThreshold()).isEqualTo(3);

        Probe exec = DeploymentManifest.parse(deployment("readinessProbe: {exec: {command: [cat, /tmp/ready]}}\n", ""))
                .deployment().template().readinessProbe();
        assertThat(exec.exec().command()).containsExactly("cat", "/tmp/ready");
        assertThat(DeploymentManifest.parse(deployment("", "")).deployment().template().readinessProbe()).isNull();
    }

    @Test
    void readsWorkingDirAndSecurityContextWithThePodsAsFallback() throws Exception {
        var t = DeploymentManifest.parse(deployment("""
                workingDir: /app
                securityContext: {runAsUser: 1000, runAsNonRoot: true}
                """, "securityContext: {runAsUser: 5, runAsGroup: 3000, fsGroup: 2000}\n")).deployment().template();

        assertThat(t.workingDir()).isEqualTo("/app");
        assertThat(t.securityContext()).isEqualTo(new SecurityContext(1000L, 3000L, true));
        assertThat(DeploymentManifest.parse(deployment("", "securityContext: {runAsUser: 5, fsGroup: 2000}\n")).ignored())
                .containsExactly("spec.template.spec.securityContext.fsGroup: not supported by Berth, ignored");
        assertThat(DeploymentManifest.parse(deployment("", "")).deployment().template().securityContext()).isNull();
    }

    @Test
    void readsTheHardeningFieldsOfTheContainersSecurityContextWithoutWarnings() throws Exception {
        var parsed = DeploymentManifest.parse(deployment("""
                securityContext:
                  runAsUser: 1000
                  capabilities: {add: [NET_ADMIN, cap_sys_time], drop: [ALL]}
                  privileged: false
                  allowPrivilegeEscalation: false
                  readOnlyRootFilesystem: true
                  seccompProfile: {type: RuntimeDefault}
                """, "securityContext: {runAsUser: 5, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n"));
        assertThat(parsed.deployment().template().securityContext()).isEqualTo(new SecurityContext(1000L, null, true,
                new SecurityContext.Capabilities(java.util.List.of("NET_ADMIN", "SYS_TIME"), java.util.List.of("ALL")), false, false, true));
        assertThat(parsed.ignored()).isEmpty();
        assertThat(DeploymentManifest.parse(deployment("securityContext: {seccompProfile: {type: Unconfined}}\n", "")).ignored())
                .containsExactly("spec.template.spec.containers[0].securityContext.seccompProfile: type Unconfined not supported by Berth,"
                        + " ignored: every container runs with the default profile (RuntimeDefault)");
        assertThat(DeploymentManifest.parse(deployment("securityContext: {privileged: true}\n", "")).deployment().template()
                .securityContext().privileged()).isTrue();
        // user namespaces are not offered (docs/security.md): said at apply
        assertThat(DeploymentManifest.parse(deployment("", "hostUsers: false\n")).ignored())
                .containsExactly("spec.template.spec.hostUsers: not supported by Berth, ignored");
    }

    @Test
    void badProbesAndSecurityContextsAreAnsweredWithReasons() {
        assertRefused("readinessProbe: {periodSeconds: 5}\n", "exactly one of httpGet, tcpSocket or exec");
        assertRefused("readinessProbe: {tcpSocket: {port: 80}, exec: {command: [true]}}\n", "exactly one of");
        assertRefused("readinessProbe: {httpGet: {path: /}}\n", "httpGet.port: Required value");
        assertRefused("readinessProbe: {httpGet: {port: 0}}\n", "must be between 1 and 65535");
        assertRefused("readinessProbe: {httpGet: {port: 80, path: healthz}}\n", "must start with /");
        assertRefused("readinessProbe: {httpGet: {port: 80, scheme: FTP}}\n", "is not HTTP or HTTPS");
        assertRefused("readinessProbe: {exec: {command: []}}\n", "exec.command: Required value");
        assertRefused("readinessProbe: {tcpSocket: {port: 80}, periodSeconds: -1}\n", "periodSeconds: expected a whole number");
        assertRefused("readinessProbe: yes\n", "readinessProbe: expected");
        assertRefused("workingDir: app\n", "workingDir: expected an absolute path");
        assertRefused("securityContext: {runAsUser: -1}\n", "runAsUser: expected a uid/gid");
        assertRefused("securityContext: {runAsNonRoot: maybe}\n", "runAsNonRoot: expected true or false");
        assertRefused("securityContext: {capabilities: {add: NET_ADMIN}}\n", "capabilities.add: expected a list of capability names");
        assertRefused("securityContext: {readOnlyRootFilesystem: 1}\n", "readOnlyRootFilesystem: expected true or false");
    }

    private static void assertRefused(String container, String reason) {
        assertThatThrownBy(() -> DeploymentManifest.parse(deployment(container, ""))).as(container)
                .isInstanceOf(DeploymentManifest.InvalidManifest.class).hasMessageContaining(reason);
    }
}
