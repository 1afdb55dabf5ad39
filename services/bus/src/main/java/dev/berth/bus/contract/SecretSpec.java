package dev.berth.bus.contract;

import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code v1 Secret}. Its values travel base64-encoded, as the Kubernetes API carries them ({@code stringData}
 * is folded into {@code data} by the CLI, as the API server does). {@link #toString()} never shows a value, so a
 * log line or an exception message that prints the record does not leak it.
 *
 * @param type      e.g. Opaque (the default), kubernetes.io/dockerconfigjson, kubernetes.io/tls
 * @param data      base64-encoded values by key
 * @param immutable once true, data can no longer change
 */
public record SecretSpec(String namespace, String name, String type, Map<String, String> data, Map<String, String> labels,
                         boolean immutable) {
    public static final String OPAQUE = "Opaque";

    public SecretSpec {
        namespace = Namespaces.orDefault(namespace);
        type = type == null || type.isEmpty() ? OPAQUE : type;
        data = data == null ? Map.of() : Map.copyOf(data);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public String key() { return Namespaces.key(namespace, name); }

    /** The decoded size of each value, by key: what {@code describe secret} shows instead of the values. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new TreeMap<>();
        data.forEach((k, v) -> sizes.put(k, decodedLength(v)));
        return sizes;
    }

    private static int decodedLength(String base64) {
        if (base64 == null) return 0;
        int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return Math.max(0, base64.length() / 4 * 3 - padding);
    }

    /** This Secret with every value emptied (still valid base64): for exports and anything else that leaves the cluster. */
    public SecretSpec redacted() {
        Map<String, String> empty = new TreeMap<>();
        data.keySet().forEach(k -> empty.put(k, ""));
        return new SecretSpec(namespace, name, type, empty, labels, immutable);
    }

    @Override
    public String toString() {
        return "SecretSpec[namespace=" + namespace + ", name=" + name + ", type=" + type + ", data=" + sizes() + " (bytes, values redacted)"
                + ", labels=" + labels + ", immutable=" + immutable + "]";
    }
}
