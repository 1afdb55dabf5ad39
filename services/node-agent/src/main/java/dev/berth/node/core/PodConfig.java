package dev.berth.node.core;

import dev.berth.bus.Limits;
import dev.berth.bus.contract.ConfigMapSpec;
import dev.berth.bus.contract.ConfigMapVolumeSource;
import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.EmptyDirVolumeSource;
import dev.berth.bus.contract.EnvFromSource;
import dev.berth.bus.contract.EnvVarSource;
import dev.berth.bus.contract.KeySelector;
import dev.berth.bus.contract.KeyToPath;
import dev.berth.bus.contract.Namespaces;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.SecretSpec;
import dev.berth.bus.contract.SecretVolumeSource;
import dev.berth.bus.contract.Volume;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kubelet makes of a pod's ConfigMap and Secret references when it starts a container, as pure functions of
 * the template and the {@link ConfigObjects} the node knows: a container's environment (envFrom first, in order, then
 * {@code env}'s plain values, then its {@code valueFrom} entries: a later name wins) and each volume's files. A missing
 * object or key that is not optional is an error in Kubernetes' words, which holds the container back:
 * {@link #CREATE_CONTAINER_CONFIG_ERROR} for env ({@link #MISSING_ENV_SOURCE} on the way), {@link #FAILED_MOUNT} for volumes. No value ever appears in an
 * error, and {@link File#toString()} shows no content.
 */
public final class PodConfig {
    private PodConfig() {}

    public static final String CREATE_CONTAINER_CONFIG_ERROR = "CreateContainerConfigError";
    /**
     * The shell's reason for a start held back by a missing env source: shown as {@link #CREATE_CONTAINER_CONFIG_ERROR},
     * but waited out by {@link ConfigWait} (the image's config errors, e.g. an unknown user, keep the restart back-off).
     */
    public static final String MISSING_ENV_SOURCE = "MissingEnvSource";
    public static final String FAILED_MOUNT = "FailedMount";

    /** A container's environment from its env sources, or why it cannot start. */
    public record Env(Map<String, String> env, String error) {
        static Env failed(String error) { return new Env(Map.of(), error); }
        public boolean ok() { return error == null; }
    }

    /** One file of a configMap or secret volume: {@code path} relative to the volume, its bytes and mode. */
    public record File(String path, byte[] content, int mode) {
        @Override public String toString() { return "File[" + path + ", " + content.length + " bytes, mode " + Integer.toOctalString(mode) + "]"; }
        @Override public boolean equals(Object o) {
            return o instanceof File f && f.path.equals(path) && f.mode == mode && java.util.Arrays.equals(f.content, content);
        }
        @Override public int hashCode() { return path.hashCode() * 31 + java.util.Arrays.hashCode(content); }
        public String text() { return new String(content, StandardCharsets.UTF_8); }
    }

    /**
     * A volume as the node makes it: its files (configMap, secret), or an emptyDir. {@code secret}: its files belong on
     * a tmpfs (as the kubelet keeps Secret volumes off the disk).
     */
    public record VolumeContent(String name, boolean secret, List<File> files, EmptyDirVolumeSource emptyDir) {
        public boolean isEmptyDir() { return emptyDir != null; }
        public boolean inMemory() { return secret || (emptyDir != null && EmptyDirVolumeSource.MEMORY.equals(emptyDir.medium())); }
    }

    /** The pod's volumes, or the first that cannot be made (Kubernetes' FailedMount message). */
    public record Volumes(List<VolumeContent> volumes, String error) {
        public boolean ok() { return error == null; }
    }

    /** The variables {@code c}'s env sources give, with its plain {@code env} values at their place. */
    public static Env env(Container c, String namespace, ConfigObjects objects) {
        String ns = Namespaces.orDefault(namespace);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.envFrom()) {
            String prefix = from.prefix() == null ? "" : from.prefix();
            if (from.configMapRef() != null) {
                ConfigMapSpec m = objects.configMap(ns, from.configMapRef().name());
                if (m == null) {
                    if (from.configMapRef().optional()) continue;
                    return Env.failed("configmap \"" + from.configMapRef().name() + "\" not found");
                }
                // Kubernetes: keys that are no valid variable name are skipped (an InvalidEnvironmentVariableNames event)
                m.data().forEach((k, v) -> { if (validName(prefix + k)) env.put(prefix + k, v); });
            } else if (from.secretRef() != null) {
                SecretSpec s = objects.secret(ns, from.secretRef().name());
                if (s == null) {
                    if (from.secretRef().optional()) continue;
                    return Env.failed("secret \"" + from.secretRef().name() + "\" not found");
                }
                for (var e : s.data().entrySet()) if (validName(prefix + e.getKey())) env.put(prefix + e.getKey(), text(decode(e.getValue())));
            }
        }
        env.putAll(c.env());
        for (EnvVarSource v : c.envValueFrom()) {
            boolean fromConfigMap = v.configMapKeyRef() != null;
            KeySelector ref = fromConfigMap ? v.configMapKeyRef() : v.secretKeyRef();
            if (ref == null) continue;
            String kind = fromConfigMap ? "ConfigMap" : "Secret";
            ConfigMapSpec m = fromConfigMap ? objects.configMap(ns, ref.name()) : null;
            SecretSpec s = fromConfigMap ? null : objects.secret(ns, ref.name());
            Map<String, String> data = m != null ? m.data() : s != null ? s.data() : null;
            // Kubernetes' words: the object's kind in lower case when it is missing, as written when a key is
            String missing = data == null ? kind.toLowerCase(java.util.Locale.ROOT) + " \"" + ref.name() + "\" not found"
                    : !data.containsKey(ref.key()) ? "couldn't find key " + ref.key() + " in " + kind + " " + ns + "/" + ref.name() : null;
            if (missing != null) {
                if (ref.optional()) continue;
                return Env.failed(missing);
            }
            String value = data.get(ref.key());
            env.put(v.name(), fromConfigMap ? value : text(decode(value)));
        }
        return new Env(env, null);
    }

    /** Every volume of the pod, made from what the node knows now; the first that cannot be made stops the pod. */
    public static Volumes volumes(PodTemplate t, String namespace, ConfigObjects objects) {
        String ns = Namespaces.orDefault(namespace);
        List<VolumeContent> out = new ArrayList<>();
        for (Volume v : t.volumes()) {
            try {
                out.add(volume(v, ns, objects));
            } catch (Missing m) {
                return new Volumes(List.of(), "MountVolume.SetUp failed for volume \"" + v.name() + "\" : " + m.getMessage());
            }
        }
        return new Volumes(out, null);
    }

    /** A volume that cannot be made: its reason, in the volume plugin's words. */
    private static final class Missing extends Exception {
        Missing(String message) { super(message, null, false, false); }
    }

    private static VolumeContent volume(Volume v, String ns, ConfigObjects objects) throws Missing {
        if (v.emptyDir() != null) return new VolumeContent(v.name(), false, List.of(), v.emptyDir());
        if (v.configMap() != null) {
            ConfigMapVolumeSource src = v.configMap();
            ConfigMapSpec m = objects.configMap(ns, src.name());
            if (m == null) {
                if (src.optional()) return new VolumeContent(v.name(), false, List.of(), null);
                throw new Missing("configmap \"" + src.name() + "\" not found");
            }
            Map<String, byte[]> values = new LinkedHashMap<>();
            new java.util.TreeMap<>(m.data()).forEach((k, val) -> values.put(k, val.getBytes(StandardCharsets.UTF_8)));
            new java.util.TreeMap<>(m.binaryData()).forEach((k, val) -> values.put(k, decode(val)));
            return new VolumeContent(v.name(), false, files(values, src.items(), src.defaultMode(), src.optional(),
                    "configmap references non-existent config key: "), null);
        }
        SecretVolumeSource src = v.secret();
        SecretSpec s = objects.secret(ns, src.secretName());
        if (s == null) {
            if (src.optional()) return new VolumeContent(v.name(), true, List.of(), null);
            throw new Missing("secret \"" + src.secretName() + "\" not found");
        }
        Map<String, byte[]> values = new LinkedHashMap<>();
        new java.util.TreeMap<>(s.data()).forEach((k, val) -> values.put(k, decode(val)));
        return new VolumeContent(v.name(), true, files(values, src.items(), src.defaultMode(), src.optional(),
                "references non-existent secret key: "), null);
    }

    /** Every key as a file named after it, or only the items, at their paths (Kubernetes' default mode 0644). */
    private static List<File> files(Map<String, byte[]> values, List<KeyToPath> items, Integer defaultMode, boolean optional,
                                    String missingKey) throws Missing {
        int mode = defaultMode == null ? ConfigMapVolumeSource.DEFAULT_MODE : defaultMode;
        List<File> files = new ArrayList<>();
        if (items.isEmpty()) {
            values.forEach((k, bytes) -> files.add(new File(k, bytes, mode)));
            return files;
        }
        for (KeyToPath item : items) {
            byte[] bytes = values.get(item.key());
            if (bytes == null) {
                if (optional) continue;
                throw new Missing(missingKey + item.key());
            }
            files.add(new File(item.path(), bytes, item.mode() == null ? mode : item.mode()));
        }
        return files;
    }

    private static boolean validName(String name) {
        return name.length() <= Limits.ENV_NAME_MAX_LENGTH && Limits.ENV_NAME.matcher(name).matches();
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0]; // validated on the way in; never the value in a message
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
