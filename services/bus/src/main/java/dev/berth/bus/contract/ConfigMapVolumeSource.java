package dev.berth.bus.contract;

import java.util.List;

/**
 * A {@code configMap} volume: the ConfigMap's keys as files (each key its own file, or only {@code items}).
 *
 * @param defaultMode the files' mode; null: Kubernetes' 0644
 * @param optional    true: a missing ConfigMap (or key) gives an empty volume instead of holding the pod back
 */
public record ConfigMapVolumeSource(String name, List<KeyToPath> items, Integer defaultMode, boolean optional) {
    public static final int DEFAULT_MODE = 0644;

    public ConfigMapVolumeSource {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
