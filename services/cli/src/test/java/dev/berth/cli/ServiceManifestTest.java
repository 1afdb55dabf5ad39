package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.bus.contract.ApplyService;
import dev.berth.bus.contract.DeleteService;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceManifestTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonNode yaml(String text) throws Exception { return YAML.readTree(text); }

    static final String WEB = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: shop
              labels: {app: web}
            spec:
              type: NodePort
              selector: {app: web}
              ports:
              - name: http
                port: 80
                targetPort: http
                nodePort: 30080
                appProtocol: http
              - name: metrics
                protocol: TCP
                port: 9090
                targetPort: 9091
            """;

    @Test
    void readsTypeSelectorAndPortsWithNamedAndNumberedTargets() throws Exception {
        var parsed = ServiceManifest.parse(yaml(WEB));
        ServiceSpec s = parsed.in(null);

        assertThat(s.namespace()).isEqualTo("shop");
        assertThat(s.name()).isEqualTo("web");
        assertThat(s.type()).isEqualTo("NodePort");
        assertThat(s.clusterIP()).isNull();
        assertThat(s.selector()).isEqualTo(Map.of("app", "web"));
        assertThat(s.labels()).isEqualTo(Map.of("app", "web"));
        assertThat(s.ports()).containsExactly(new ServicePort("http", "TCP", 80, 0, "http", 30080, "http"),
                new ServicePort("metrics", "TCP", 9090, 9091, null, 0, null));
        assertThat(parsed.ignored()).isEmpty();
    }

    @Test
    void aDefaultServiceIsClusterIPWithTargetPortTheSameAsPort() throws Exception {
        var s = ServiceManifest.parse(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec:
                  clusterIP: None
                  selector: {app: db}
                  ports: [{port: 5432, targetPort: "5433"}]
                """)).in(null);

        assertThat(s.namespace()).isEqualTo("default");
        assertThat(s.type()).isEqualTo("ClusterIP");
        assertThat(s.headless()).isTrue();
        assertThat(s.ports().get(0).targetPort()).isEqualTo(5433);
        assertThat(s.ports().get(0).targetPortName()).isNull();
    }

    @Test
    void loadBalancerIsAppliedAsNodePortWithAWarningAndUnusedFieldsAreListed() throws Exception {
        var parsed = ServiceManifest.parse(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: lb, annotations: {a: b}}
                spec:
                  type: LoadBalancer
                  sessionAffinity: ClientIP
                  externalTrafficPolicy: Local
                  ports: [{port: 80}]
                """));

        assertThat(parsed.service().type()).isEqualTo("NodePort");
        assertThat(parsed.ignored()).anyMatch(w -> w.startsWith("spec.type: LoadBalancer is applied as NodePort") && w.contains("no load balancer"))
                .contains("metadata.annotations: not supported by Berth, ignored", "spec.sessionAffinity: not supported by Berth, ignored",
                        "spec.externalTrafficPolicy: not supported by Berth, ignored");
    }

    @Test
    void badServicesAreAnsweredWithReasons() {
        String head = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n";
        assertRefused(head + "  type: ExternalName\n  externalName: db.example.com\n  ports: [{port: 80}]\n", "ExternalName is not supported");
        assertRefused(head + "  type: Magic\n  ports: [{port: 80}]\n", "spec.type: Unsupported value: \"Magic\"");
        assertRefused(head + "  selector: {app: x}\n", "spec.ports: Required value");
        assertRefused(head + "  ports: [{port: 0}]\n", "spec.ports[0].port: Invalid value: 0");
        assertRefused(head + "  ports: [{port: 70000}]\n", "must be between 1 and 65535");
        assertRefused(head + "  ports: [{targetPort: 80}]\n", "spec.ports[0].port: Required value");
        assertRefused(head + "  ports: [{port: 80, nodePort: 30001}]\n", "nodePort: Forbidden");
        assertRefused(head + "  ports: [{port: 80, protocol: SCTP}]\n", "'SCTP' is not supported");
        assertRefused(head + "  ports: [{port: 80, targetPort: [1]}]\n", "targetPort: expected a port number or the name");
        assertRefused(head + "  ports: {port: 80}\n", "spec.ports: expected a list");
        assertRefused(head + "  selector: [app]\n  ports: [{port: 80}]\n", "spec.selector: expected a map");
        assertRefused(head + "  clusterIP: 5\n  ports: [{port: 80}]\n", "spec.clusterIP");
        assertRefused("apiVersion: v1\nkind: Service\nmetadata: {}\nspec: {ports: [{port: 80}]}\n", "metadata.name is required");
        assertRefused("apiVersion: v2\nkind: Service\nmetadata: {name: s}\n", "expected v1");
    }

    @Test
    void aManifestNamespaceOtherThanTheFlagIsRefusedInKubectlsWords() throws Exception {
        var parsed = ServiceManifest.parse(yaml(WEB));
        assertThatThrownBy(() -> parsed.in("other")).hasMessageContaining("does not match the namespace \"other\"");
        assertThat(parsed.in("shop").namespace()).isEqualTo("shop");
    }

    @Test
    void applyAndDeleteSendServiceCommands() throws Exception {
        var item = new ManifestReader.Item("web.yaml", yaml(WEB), null);
        List<String> warnings = new ArrayList<>();
        assertThat(ApplyCommand.command(item, "apply", null, warnings)).isInstanceOf(ApplyService.class);
        assertThat(ApplyCommand.command(item, "delete", null, warnings)).isEqualTo(new DeleteService("shop", "web"));
        assertThat(item.ref()).isEqualTo("service/web");
    }

    @Test
    void allIgnoredFieldsOfOneApplyAreOneWarningBlock() {
        Map<String, List<String>> ignored = new LinkedHashMap<>();
        ignored.put("deployment.apps/web", List.of("spec.strategy: not supported by Berth, ignored",
                "spec.template.spec.containers[0].livenessProbe: not supported by Berth, ignored"));
        ignored.put("service/web", List.of("spec.sessionAffinity: not supported by Berth, ignored"));

        String n = System.lineSeparator();
        assertThat(ApplyCommand.warningBlock(ignored)).isEqualTo("Warning: fields Berth does not use:" + n
                + "  deployment.apps/web: spec.strategy" + n
                + "  deployment.apps/web: spec.template.spec.containers[0].livenessProbe" + n
                + "  service/web: spec.sessionAffinity" + n);
        assertThat(ApplyCommand.warningBlock(Map.of())).isEmpty();
    }

    private static void assertRefused(String manifest, String reason) {
        assertThatThrownBy(() -> ServiceManifest.parse(yaml(manifest)).in(null)).as(manifest)
                .isInstanceOf(DeploymentManifest.InvalidManifest.class).hasMessageContaining(reason);
    }
}
