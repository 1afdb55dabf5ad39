package dev.berth.bus.contract;

/**
 * An {@code envFrom} entry: every key of a ConfigMap or Secret (exactly one) as a variable, named with
 * {@code prefix} in front (null: none).
 */
public record EnvFromSource(String prefix, SourceRef configMapRef, SourceRef secretRef) {
    public EnvFromSource {
        prefix = prefix == null || prefix.isEmpty() ? null : prefix;
    }
}
