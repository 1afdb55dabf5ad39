package dev.berth.bus.contract;

/**
 * A container's {@code volumeMounts} entry: the pod's volume {@code name} at the absolute {@code mountPath}.
 *
 * @param subPath a path inside the volume to mount instead of its root; null: the root
 */
public record VolumeMount(String name, String mountPath, boolean readOnly, String subPath) {
    public VolumeMount {
        subPath = subPath == null || subPath.isEmpty() ? null : subPath;
    }
}
