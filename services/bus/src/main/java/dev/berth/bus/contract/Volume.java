package dev.berth.bus.contract;

/**
 * One of a pod's {@code volumes}: a DNS-1123 label unique in the pod and exactly one source. Containers mount it
 * by name ({@link VolumeMount}).
 */
public record Volume(String name, ConfigMapVolumeSource configMap, SecretVolumeSource secret, EmptyDirVolumeSource emptyDir) {
    public static Volume configMap(String name, ConfigMapVolumeSource source) { return new Volume(name, source, null, null); }
    public static Volume secret(String name, SecretVolumeSource source) { return new Volume(name, null, source, null); }
    public static Volume emptyDir(String name, EmptyDirVolumeSource source) { return new Volume(name, null, null, source); }

    /** How many sources are set (Kubernetes: exactly one). */
    public int sources() {
        return (configMap != null ? 1 : 0) + (secret != null ? 1 : 0) + (emptyDir != null ? 1 : 0);
    }

    /** kubectl's describe word for the source: ConfigMap, Secret or EmptyDir. */
    public String type() {
        return configMap != null ? "ConfigMap" : secret != null ? "Secret" : emptyDir != null ? "EmptyDir" : "?";
    }
}
