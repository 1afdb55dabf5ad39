package dev.berth.bus.contract;

import java.util.Map;

/**
 * A {@code v1 ConfigMap}: configuration a pod reads as environment variables or files.
 *
 * @param data       text values by key (keys: letters, digits, '-', '_', '.')
 * @param binaryData base64-encoded values by key, for bytes that are not UTF-8; a key is in one map only
 * @param immutable  once true, data and binaryData can no longer change (the ConfigMap can still be deleted)
 */
public record ConfigMapSpec(String namespace, String name, Map<String, String> data, Map<String, String> binaryData,
                            Map<String, String> labels, boolean immutable) {
    public ConfigMapSpec {
        namespace = Namespaces.orDefault(namespace);
        data = data == null ? Map.of() : Map.copyOf(data);
        binaryData = binaryData == null ? Map.of() : Map.copyOf(binaryData);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public String key() { return Namespaces.key(namespace, name); }

    /** How many values it holds (kubectl's DATA column). */
    public int size() { return data.size() + binaryData.size(); }
}
