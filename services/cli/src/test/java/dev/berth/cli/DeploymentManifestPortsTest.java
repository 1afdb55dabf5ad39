package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.Validation;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ContainerPort;
import org.junit.jupiter.api.Test;

/** containers[].ports from a manifest: parsed as Kubernetes writes them; what the API server would refuse, refused. */
class DeploymentManifestPortsTest {
    static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: busybox
                    resources: {limits: {cpu: 100m, memory: 16Mi}}
                    ports: %s
            """;

    @Test
    void portsWithNameProtocolAndHostPort() throws Exception {
        var parsed = DeploymentManifest.parse(MANIFEST.formatted(
                "[{containerPort: 80, name: http, hostPort: 8080}, {containerPort: 53, protocol: UDP}, {containerPort: 9090, hostIP: 127.0.0.1}]"));
        assertThat(parsed.deployment().template().ports()).containsExactly(new ContainerPort(80, "http", "TCP", 8080),
                new ContainerPort(53, null, "UDP", 0), new ContainerPort(9090, null, "TCP", 0));
        assertThat(parsed.ignored()).containsExactly("spec.template.spec.containers[0].ports[2].hostIP: not supported by Berth, ignored");
        assertThat(Validation.problems(new ApplyDeployment(parsed.deployment()))).isEmpty();
    }

    @Test
    void noPortsIsNone() throws Exception {
        assertThat(DeploymentManifest.parse(MANIFEST.formatted("[]")).deployment().template().ports()).isEmpty();
    }

    @Test
    void malformedPortsAreRefusedWithTheirField() {
        assertThatThrownBy(() -> DeploymentManifest.parse(MANIFEST.formatted("[{name: http}]")))
                .hasMessage("spec.template.spec.containers[0].ports[0].containerPort: required, a port number (1-65535)");
        assertThatThrownBy(() -> DeploymentManifest.parse(MANIFEST.formatted("[{containerPort: \"80\"}]")))
                .hasMessageContaining("containerPort: required, a port number");
        assertThatThrownBy(() -> DeploymentManifest.parse(MANIFEST.formatted("[{containerPort: 80, protocol: SCTP}]")))
                .hasMessage("spec.template.spec.containers[0].ports[0].protocol: 'SCTP' is not supported (TCP or UDP)");
        assertThatThrownBy(() -> DeploymentManifest.parse(MANIFEST.formatted("{containerPort: 80}")))
                .hasMessageContaining("ports: expected a list");
    }

    @Test
    void rangesNamesAndDuplicatesAreTheValidatorsToRefuse() throws Exception {
        var parsed = DeploymentManifest.parse(MANIFEST.formatted(
                "[{containerPort: 0}, {containerPort: 70000, hostPort: 8080}, {containerPort: 81, name: Http_1, hostPort: 8080},"
                        + " {containerPort: 82, name: a-very-long-port-name}, {containerPort: 83, name: '1234'}, {containerPort: 84, name: x, hostPort: 99999},"
                        + " {containerPort: 85, name: x}]"));
        assertThat(Validation.problems(new ApplyDeployment(parsed.deployment()))).containsExactly(
                "/deployment/template/ports/0/containerPort: must be between 1 and 65535, got 0",
                "/deployment/template/ports/1/containerPort: must be between 1 and 65535, got 70000",
                "/deployment/template/ports/2/name: must be an IANA_SVC_NAME (at most 15 lower-case letters, digits and '-', with a letter, no '--', not starting or ending with '-'), got 'Http_1'",
                "/deployment/template/ports/2/hostPort: Duplicate value: \"8080/TCP\"",
                "/deployment/template/ports/3/name: must be an IANA_SVC_NAME (at most 15 lower-case letters, digits and '-', with a letter, no '--', not starting or ending with '-'), got 'a-very-long-port-name'",
                "/deployment/template/ports/4/name: must be an IANA_SVC_NAME (at most 15 lower-case letters, digits and '-', with a letter, no '--', not starting or ending with '-'), got '1234'",
                "/deployment/template/ports/5/hostPort: must be between 0 and 65535, got 99999",
                "/deployment/template/ports/6/name: Duplicate value: \"x\"");
    }
}
