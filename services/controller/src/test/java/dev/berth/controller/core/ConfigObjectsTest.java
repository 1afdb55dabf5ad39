package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyConfigMap;
import dev.berth.bus.contract.ApplyNamespace;
import dev.berth.bus.contract.ApplySecret;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.ConfigMapApplied;
import dev.berth.bus.contract.ConfigMapDeleted;
import dev.berth.bus.contract.ConfigMapSpec;
import dev.berth.bus.contract.DeleteConfigMap;
import dev.berth.bus.contract.DeleteNamespace;
import dev.berth.bus.contract.DeleteSecret;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.SecretApplied;
import dev.berth.bus.contract.SecretDeleted;
import dev.berth.bus.contract.SecretSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ApplyConfigMap/ApplySecret and their deletion: Kubernetes' answers, immutability, namespaces, rebuild, no value in any answer. */
class ConfigObjectsTest {
    static final String PASSWORD = "czNjcjN0LVBhNTU="; // "s3cr3t-Pa55"
    private final Harness h = Harness.withImages("busybox");

    static ConfigMapSpec config(String namespace, String name, Map<String, String> data, boolean immutable) {
        return new ConfigMapSpec(namespace, name, data, Map.of(), Map.of(), immutable);
    }

    static SecretSpec secret(String name, String password, boolean immutable) {
        return new SecretSpec(null, name, null, Map.of("password", password), Map.of(), immutable);
    }

    @Test
    void aConfigMapIsCreatedConfiguredAndUnchangedAsKubectlSays() {
        List<Event> created = h.command(new ApplyConfigMap(config(null, "web-config", Map.of("LOG_LEVEL", "debug"), false)));
        assertThat(created.get(0)).isInstanceOf(ConfigMapApplied.class);
        assertThat(Outputs.route(created.get(0)).topic()).isEqualTo(Topic.CONFIG_MAPS);
        assertThat(Outputs.route(created.get(0)).key()).isEqualTo("web-config");
        assertThat(((CommandAccepted) created.get(1)).message()).isEqualTo("configmap/web-config created");
        assertThat(h.accepted(new ApplyConfigMap(config(null, "web-config", Map.of("LOG_LEVEL", "debug"), false))).message())
                .isEqualTo("configmap/web-config unchanged");
        assertThat(h.accepted(new ApplyConfigMap(config(null, "web-config", Map.of("LOG_LEVEL", "info"), false))).message())
                .isEqualTo("configmap/web-config configured");
        assertThat(h.state.configMap("web-config")).map(m -> m.data().get("LOG_LEVEL")).contains("info");
    }

    @Test
    void anImmutableConfigMapKeepsItsDataAndStaysImmutable() {
        h.accepted(new ApplyConfigMap(config(null, "frozen", Map.of("a", "1"), true)));
        assertThat(h.rejected(new ApplyConfigMap(config(null, "frozen", Map.of("a", "2"), true))).problems())
                .containsExactly("ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set");
        assertThat(h.rejected(new ApplyConfigMap(config(null, "frozen", Map.of("a", "1"), false))).problems())
                .containsExactly("ConfigMap \"frozen\" is invalid: immutable: Forbidden: field is immutable when `immutable` is set");
        assertThat(h.accepted(new ApplyConfigMap(config(null, "frozen", Map.of("a", "1"), true))).message()).isEqualTo("configmap/frozen unchanged");
        // Labels may still change; deletion is allowed.
        assertThat(h.accepted(new ApplyConfigMap(new ConfigMapSpec(null, "frozen", Map.of("a", "1"), Map.of(), Map.of("tier", "web"), true))).message())
                .isEqualTo("configmap/frozen configured");
        assertThat(h.accepted(new DeleteConfigMap(null, "frozen")).message()).isEqualTo("configmap \"frozen\" deleted");
        assertThat(h.state.configMap("frozen")).isEmpty();
    }

    @Test
    void deletingWhatIsNotThereIsNotFound() {
        assertThat(h.rejected(new DeleteConfigMap(null, "nope")).problems()).containsExactly("configmaps \"nope\" not found");
        assertThat(h.rejected(new DeleteSecret(null, "nope")).problems()).containsExactly("secrets \"nope\" not found");
    }

    @Test
    void objectsNeedTheirNamespaceAndGoWithIt() {
        assertThat(h.rejected(new ApplyConfigMap(config("shop", "c", Map.of(), false))).problems()).containsExactly("namespaces \"shop\" not found");
        h.accepted(new ApplyNamespace("shop"));
        h.accepted(new ApplyConfigMap(config("shop", "c", Map.of(), false)));
        h.accepted(new ApplySecret(new SecretSpec("shop", "s", null, Map.of("k", PASSWORD), Map.of(), false)));
        h.accepted(new ApplyConfigMap(config(null, "c", Map.of(), false))); // same name in default: another object
        List<Event> deleted = h.command(new DeleteNamespace("shop"));
        assertThat(deleted).contains(new ConfigMapDeleted("shop", "c"), new SecretDeleted("shop", "s"));
        assertThat(h.state.configMapsIn("shop")).isEmpty();
        assertThat(h.state.secretsIn("shop")).isEmpty();
        assertThat(h.state.configMap("c")).isPresent();
    }

    @Test
    void aSecretsValueIsInItsEventOnlyNeverInAnAnswerOrTheStatesText() {
        List<Event> created = h.command(new ApplySecret(secret("db", PASSWORD, true)));
        assertThat(((SecretApplied) created.get(0)).secret().data()).containsEntry("password", PASSWORD);
        assertThat(Outputs.route(created.get(0)).topic()).isEqualTo(Topic.SECRETS);
        assertThat(created.get(0).toString()).doesNotContain(PASSWORD).contains("password=11");
        CommandRejected changed = h.rejected(new ApplySecret(secret("db", "b3RoZXI=", true)));
        assertThat(changed.problems()).containsExactly("Secret \"db\" is invalid: data: Forbidden: field is immutable when `immutable` is set");
        CommandRejected retyped = h.rejected(new ApplySecret(new SecretSpec(null, "db", "kubernetes.io/tls", Map.of("password", PASSWORD), Map.of(), true)));
        assertThat(retyped.problems()).containsExactly("Secret \"db\" is invalid: type: Invalid value: \"kubernetes.io/tls\": field is immutable");
        for (Object shown : List.of(changed, retyped, h.state, created.get(1))) assertThat(shown.toString()).doesNotContain(PASSWORD).doesNotContain("b3RoZXI=");
    }

    @Test
    void theLogRebuildsConfigMapsAndSecrets() {
        h.accepted(new ApplyConfigMap(config(null, "a", Map.of("k", "v"), false)));
        h.accepted(new ApplyConfigMap(config(null, "b", Map.of("k", "v"), false)));
        h.accepted(new ApplySecret(secret("db", PASSWORD, false)));
        h.accepted(new DeleteConfigMap(null, "b"));
        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);
        assertThat(rebuilt.configMap("a")).isEqualTo(h.state.configMap("a")).isPresent();
        assertThat(rebuilt.configMap("b")).isEmpty();
        assertThat(rebuilt.secret("db")).map(s -> s.data().get("password")).contains(PASSWORD);
    }
}
