package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.contract.ConfigMapSpec;
import dev.berth.bus.contract.SecretSpec;
import dev.berth.cli.DeploymentManifest.InvalidManifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code v1 ConfigMap} and {@code v1 Secret} manifests. A Secret's {@code stringData} is folded into
 * {@code data} (base64), as the API server does, and wins over a {@code data} entry of the same key. Keys, sizes and
 * base64 are the controller's to judge; this only reads shapes. No message names a value.
 */
final class ConfigManifest {
    private ConfigManifest() {}

    static final String CONFIG_MAP = "ConfigMap";
    static final String SECRET = "Secret";

    record ParsedConfigMap(ConfigMapSpec configMap, List<String> ignored, String namespace) {
        ConfigMapSpec in(String flag) throws InvalidManifest {
            ConfigMapSpec m = configMap;
            return new ConfigMapSpec(DeploymentManifest.namespaceFor(namespace, flag), m.name(), m.data(), m.binaryData(), m.labels(), m.immutable());
        }
    }

    record ParsedSecret(SecretSpec secret, List<String> ignored, String namespace) {
        SecretSpec in(String flag) throws InvalidManifest {
            SecretSpec s = secret;
            return new SecretSpec(DeploymentManifest.namespaceFor(namespace, flag), s.name(), s.type(), s.data(), s.labels(), s.immutable());
        }
    }

    private static final Set<String> METADATA = Set.of("name", "labels", "namespace");

    static ParsedConfigMap configMap(JsonNode root) throws InvalidManifest {
        List<String> ignored = start(root, CONFIG_MAP, Set.of("apiVersion", "kind", "metadata", "data", "binaryData", "immutable"));
        ConfigMapSpec spec = new ConfigMapSpec(null, name(root), strings(root.path("data"), "data"), strings(root.path("binaryData"), "binaryData"),
                DeploymentManifest.labels(root.path("metadata").path("labels"), "metadata.labels"), immutable(root));
        return new ParsedConfigMap(spec, ignored, DeploymentManifest.namespaceOf(root));
    }

    static ParsedSecret secret(JsonNode root) throws InvalidManifest {
        List<String> ignored = start(root, SECRET, Set.of("apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable"));
        Map<String, String> data = new LinkedHashMap<>(strings(root.path("data"), "data"));
        strings(root.path("stringData"), "stringData").forEach((k, v) ->
                data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        JsonNode type = root.path("type");
        if (!type.isMissingNode() && !type.isNull() && !type.isTextual()) throw new InvalidManifest("type: expected a string");
        SecretSpec spec = new SecretSpec(null, name(root), type.isTextual() ? type.asText() : null, data,
                DeploymentManifest.labels(root.path("metadata").path("labels"), "metadata.labels"), immutable(root));
        return new ParsedSecret(spec, ignored, DeploymentManifest.namespaceOf(root));
    }

    private static List<String> start(JsonNode root, String kind, Set<String> top) throws InvalidManifest {
        if (root == null || !root.isObject()) throw new InvalidManifest("expected a " + kind + " object");
        if (!"v1".equals(root.path("apiVersion").asText())) {
            throw new InvalidManifest("apiVersion is '" + root.path("apiVersion").asText() + "': expected v1");
        }
        List<String> ignored = new ArrayList<>();
        DeploymentManifest.unsupported(root, "", top, ignored);
        DeploymentManifest.unsupported(root.path("metadata"), "metadata", METADATA, ignored);
        return ignored;
    }

    private static String name(JsonNode root) throws InvalidManifest {
        JsonNode n = root.path("metadata").path("name");
        if (!n.isTextual() || n.asText().isBlank()) throw new InvalidManifest("metadata.name is required");
        return n.asText();
    }

    private static boolean immutable(JsonNode root) throws InvalidManifest {
        JsonNode n = root.path("immutable");
        if (n.isMissingNode() || n.isNull()) return false;
        if (!n.isBoolean()) throw new InvalidManifest("immutable: expected true or false");
        return n.asBoolean();
    }

    /** A map of strings; YAML numbers and booleans as values are refused, as the API server refuses them. */
    private static Map<String, String> strings(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return Map.of();
        if (!n.isObject()) throw new InvalidManifest(at + ": expected a map of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new InvalidManifest(at + "." + e.getKey() + ": expected a string (quote numbers and booleans in YAML)");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
