package dev.berth.bus.contract;

import java.util.List;

/**
 * A {@code secret} volume: the Secret's keys as files (each key its own file, or only {@code items}).
 *
 * @param defaultMode the files' mode; null: Kubernetes' 0644
 * @param optional    true: a missing Secret (or key) gives an empty volume instead of holding the pod back
 */
public record SecretVolumeSource(String secretName, List<KeyToPath> items, Integer defaultMode, boolean optional) {
    public SecretVolumeSource {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
