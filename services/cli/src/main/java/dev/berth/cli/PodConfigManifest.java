package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.contract.ConfigMapVolumeSource;
import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.EmptyDirVolumeSource;
import dev.berth.bus.contract.EnvFromSource;
import dev.berth.bus.contract.EnvVarSource;
import dev.berth.bus.contract.KeySelector;
import dev.berth.bus.contract.KeyToPath;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.SecretVolumeSource;
import dev.berth.bus.contract.SourceRef;
import dev.berth.bus.contract.Volume;
import dev.berth.bus.contract.VolumeMount;
import dev.berth.cli.DeploymentManifest.InvalidManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A pod's ConfigMap, Secret and emptyDir parts as Kubernetes writes them: {@code spec.volumes}, a container's
 * {@code volumeMounts}, {@code envFrom} and {@code env[].valueFrom}; read from a manifest, written back for
 * {@code -o yaml}, and described as kubectl does (a Secret by name only, never a value: the template holds none).
 * The shape is checked here; names, paths and references by the controller's validation.
 */
final class PodConfigManifest {
    private PodConfigManifest() {}

    private static final Set<String> VOLUME = Set.of("name", "configMap", "secret", "emptyDir");
    private static final Set<String> CONFIG_MAP = Set.of("name", "items", "defaultMode", "optional");
    private static final Set<String> SECRET = Set.of("secretName", "items", "defaultMode", "optional");
    private static final Set<String> EMPTY_DIR = Set.of("medium", "sizeLimit");
    private static final Set<String> ITEM = Set.of("key", "path", "mode");
    private static final Set<String> MOUNT = Set.of("name", "mountPath", "readOnly", "subPath");
    private static final Set<String> ENV_FROM = Set.of("prefix", "configMapRef", "secretRef");
    private static final Set<String> REF = Set.of("name", "optional");
    private static final Set<String> KEY_REF = Set.of("name", "key", "optional");
    private static final Set<String> VALUE_FROM = Set.of("configMapKeyRef", "secretKeyRef");

    /** {@code c} with its mounts and env sources from the manifest's {@code container}. */
    static Container read(Container c, JsonNode container, String at, List<String> ignored) throws InvalidManifest {
        return c.withConfig(envFrom(container.path("envFrom"), at + ".envFrom", ignored),
                valueFrom(container.path("env"), at + ".env", ignored),
                mounts(container.path("volumeMounts"), at + ".volumeMounts", ignored));
    }

    static List<Volume> volumes(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        List<Volume> out = new ArrayList<>();
        for (int i = 0; i < array(n, at).size(); i++) {
            JsonNode v = n.get(i);
            String va = at + "[" + i + "]";
            DeploymentManifest.unsupported(v, va, VOLUME, ignored);
            String name = v.path("name").asText(null);
            ConfigMapVolumeSource cm = null;
            SecretVolumeSource secret = null;
            EmptyDirVolumeSource empty = null;
            if (v.hasNonNull("configMap")) {
                JsonNode s = v.get("configMap");
                DeploymentManifest.unsupported(s, va + ".configMap", CONFIG_MAP, ignored);
                cm = new ConfigMapVolumeSource(s.path("name").asText(null), items(s.path("items"), va + ".configMap.items", ignored),
                        mode(s.path("defaultMode"), va + ".configMap.defaultMode"), s.path("optional").asBoolean(false));
            }
            if (v.hasNonNull("secret")) {
                JsonNode s = v.get("secret");
                DeploymentManifest.unsupported(s, va + ".secret", SECRET, ignored);
                secret = new SecretVolumeSource(s.path("secretName").asText(null), items(s.path("items"), va + ".secret.items", ignored),
                        mode(s.path("defaultMode"), va + ".secret.defaultMode"), s.path("optional").asBoolean(false));
            }
            if (v.has("emptyDir")) {
                JsonNode s = v.get("emptyDir");
                DeploymentManifest.unsupported(s, va + ".emptyDir", EMPTY_DIR, ignored);
                Long size = null;
                if (s.hasNonNull("sizeLimit")) {
                    try {
                        size = Quantities.memoryBytes(s.get("sizeLimit").asText());
                    } catch (NumberFormatException | ArithmeticException e) {
                        throw new InvalidManifest(va + ".emptyDir.sizeLimit: '" + s.get("sizeLimit").asText() + "' is not a quantity (e.g. 64Mi)");
                    }
                }
                empty = new EmptyDirVolumeSource(s.path("medium").asText(""), size);
            }
            out.add(new Volume(name, cm, secret, empty));
        }
        return out;
    }

    private static List<KeyToPath> items(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        List<KeyToPath> out = new ArrayList<>();
        for (int i = 0; i < array(n, at).size(); i++) {
            JsonNode k = n.get(i);
            DeploymentManifest.unsupported(k, at + "[" + i + "]", ITEM, ignored);
            out.add(new KeyToPath(k.path("key").asText(null), k.path("path").asText(null), mode(k.path("mode"), at + "[" + i + "].mode")));
        }
        return out;
    }

    /** A file mode: YAML reads 0644 as octal only in YAML 1.1; a JSON number is decimal (420), as Kubernetes takes it. */
    private static Integer mode(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return null;
        if (n.isIntegralNumber()) return n.asInt();
        if (n.isTextual() && n.asText().matches("0[0-7]{1,4}")) return Integer.parseInt(n.asText(), 8);
        throw new InvalidManifest(at + ": expected a file mode, e.g. 0644");
    }

    static List<VolumeMount> mounts(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        List<VolumeMount> out = new ArrayList<>();
        for (int i = 0; i < array(n, at).size(); i++) {
            JsonNode m = n.get(i);
            DeploymentManifest.unsupported(m, at + "[" + i + "]", MOUNT, ignored);
            out.add(new VolumeMount(m.path("name").asText(null), m.path("mountPath").asText(null), m.path("readOnly").asBoolean(false),
                    m.path("subPath").asText(null)));
        }
        return out;
    }

    static List<EnvFromSource> envFrom(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        List<EnvFromSource> out = new ArrayList<>();
        for (int i = 0; i < array(n, at).size(); i++) {
            JsonNode e = n.get(i);
            String ea = at + "[" + i + "]";
            DeploymentManifest.unsupported(e, ea, ENV_FROM, ignored);
            out.add(new EnvFromSource(e.path("prefix").asText(null), ref(e.get("configMapRef"), ea + ".configMapRef", ignored),
                    ref(e.get("secretRef"), ea + ".secretRef", ignored)));
        }
        return out;
    }

    private static SourceRef ref(JsonNode n, String at, List<String> ignored) {
        if (n == null || n.isNull()) return null;
        DeploymentManifest.unsupported(n, at, REF, ignored);
        return new SourceRef(n.path("name").asText(null), n.path("optional").asBoolean(false));
    }

    /** The {@code env} entries with {@code valueFrom} (those with a plain value are the container's {@code env} map). */
    static List<EnvVarSource> valueFrom(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        List<EnvVarSource> out = new ArrayList<>();
        for (int i = 0; i < array(n, at).size(); i++) {
            JsonNode e = n.get(i);
            if (!e.has("valueFrom")) continue;
            String va = at + "[" + e.path("name").asText() + "].valueFrom";
            JsonNode from = e.get("valueFrom");
            DeploymentManifest.unsupported(from, va, VALUE_FROM, ignored);
            KeySelector cm = keyRef(from.get("configMapKeyRef"), va + ".configMapKeyRef", ignored);
            KeySelector secret = keyRef(from.get("secretKeyRef"), va + ".secretKeyRef", ignored);
            if (cm == null && secret == null) continue; // fieldRef, resourceFieldRef: named in the warning block above
            out.add(new EnvVarSource(e.path("name").asText(null), cm, secret));
        }
        return out;
    }

    private static KeySelector keyRef(JsonNode n, String at, List<String> ignored) {
        if (n == null || n.isNull()) return null;
        DeploymentManifest.unsupported(n, at, KEY_REF, ignored);
        return new KeySelector(n.path("name").asText(null), n.path("key").asText(null), n.path("optional").asBoolean(false));
    }

    private static JsonNode array(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        if (!n.isArray()) throw new InvalidManifest(at + ": expected a list");
        return n;
    }

    // --- written back: -o json|yaml ---

    /** The container's envFrom, env valueFrom entries (after its plain env, if the caller wrote one) and volumeMounts. */
    static void write(ObjectNode container, Container c) {
        if (!c.envFrom().isEmpty()) {
            ArrayNode a = container.putArray("envFrom");
            for (EnvFromSource e : c.envFrom()) {
                ObjectNode o = a.addObject();
                if (e.prefix() != null) o.put("prefix", e.prefix());
                SourceRef r = e.configMapRef() != null ? e.configMapRef() : e.secretRef();
                if (r != null) ref(o.putObject(e.configMapRef() != null ? "configMapRef" : "secretRef"), r.name(), null, r.optional());
            }
        }
        if (!c.envValueFrom().isEmpty()) {
            ArrayNode a = container.has("env") ? (ArrayNode) container.get("env") : container.putArray("env");
            for (EnvVarSource e : c.envValueFrom()) {
                ObjectNode from = a.addObject().put("name", e.name()).putObject("valueFrom");
                KeySelector k = e.configMapKeyRef() != null ? e.configMapKeyRef() : e.secretKeyRef();
                if (k != null) ref(from.putObject(e.configMapKeyRef() != null ? "configMapKeyRef" : "secretKeyRef"), k.name(), k.key(), k.optional());
            }
        }
        if (!c.volumeMounts().isEmpty()) {
            ArrayNode a = container.putArray("volumeMounts");
            for (VolumeMount m : c.volumeMounts()) {
                ObjectNode o = a.addObject().put("name", m.name()).put("mountPath", m.mountPath());
                if (m.readOnly()) o.put("readOnly", true);
                if (m.subPath() != null) o.put("subPath", m.subPath());
            }
        }
    }

    private static void ref(ObjectNode o, String name, String key, boolean optional) {
        o.put("name", name);
        if (key != null) o.put("key", key);
        if (optional) o.put("optional", true);
    }

    /** The pod's {@code volumes}. */
    static void write(ObjectNode podSpec, PodTemplate t) {
        if (t.volumes().isEmpty()) return;
        ArrayNode a = podSpec.putArray("volumes");
        for (Volume v : t.volumes()) {
            ObjectNode o = a.addObject().put("name", v.name());
            if (v.configMap() != null) {
                ObjectNode s = o.putObject("configMap").put("name", v.configMap().name());
                source(s, v.configMap().items(), v.configMap().defaultMode(), v.configMap().optional());
            } else if (v.secret() != null) {
                ObjectNode s = o.putObject("secret").put("secretName", v.secret().secretName());
                source(s, v.secret().items(), v.secret().defaultMode(), v.secret().optional());
            } else if (v.emptyDir() != null) {
                ObjectNode s = o.putObject("emptyDir");
                if (!v.emptyDir().medium().isEmpty()) s.put("medium", v.emptyDir().medium());
                if (v.emptyDir().sizeLimit() != null) s.put("sizeLimit", Quantities.formatMemory(v.emptyDir().sizeLimit()));
            }
        }
    }

    private static void source(ObjectNode s, List<KeyToPath> items, Integer defaultMode, boolean optional) {
        if (!items.isEmpty()) {
            ArrayNode a = s.putArray("items");
            for (KeyToPath k : items) {
                ObjectNode o = a.addObject().put("key", k.key()).put("path", k.path());
                if (k.mode() != null) o.put("mode", k.mode());
            }
        }
        if (defaultMode != null) s.put("defaultMode", defaultMode);
        if (optional) s.put("optional", true);
    }

    // --- described, as kubectl ---

    /** A container's "Environment Variables from", sourced "Environment" and "Mounts" lines, indented as kubectl's. */
    static List<String> describeContainer(Container c) {
        List<String> lines = new ArrayList<>();
        if (!c.envFrom().isEmpty()) {
            lines.add("  Environment Variables from:");
            for (EnvFromSource e : c.envFrom()) {
                SourceRef r = e.configMapRef() != null ? e.configMapRef() : e.secretRef();
                if (r == null) continue;
                lines.add("    " + r.name() + "  " + (e.configMapRef() != null ? "ConfigMap" : "Secret")
                        + (e.prefix() != null ? "  with prefix '" + e.prefix() + "'" : "") + "  Optional: " + r.optional());
            }
        }
        for (EnvVarSource e : c.envValueFrom()) {
            KeySelector k = e.configMapKeyRef() != null ? e.configMapKeyRef() : e.secretKeyRef();
            if (k == null) continue;
            lines.add("  " + e.name() + ":  <set to the key '" + k.key() + "' " + (e.configMapKeyRef() != null ? "of config map" : "in secret")
                    + " '" + k.name() + "'>  Optional: " + k.optional());
        }
        if (!c.volumeMounts().isEmpty()) {
            lines.add("  Mounts:");
            for (VolumeMount m : c.volumeMounts()) {
                lines.add("    " + m.mountPath() + " from " + m.name() + " (" + (m.readOnly() ? "ro" : "rw")
                        + (m.subPath() != null ? ",path=\"" + m.subPath() + "\"" : "") + ")");
            }
        }
        return lines;
    }

    /** The pod's "Volumes:" block, as kubectl describes each source. */
    static List<String> describeVolumes(PodTemplate t) {
        List<String> lines = new ArrayList<>();
        if (t.volumes().isEmpty()) return lines;
        lines.add("Volumes:");
        for (Volume v : t.volumes()) {
            lines.add("  " + v.name() + ":");
            if (v.configMap() != null) {
                lines.add("    Type:      ConfigMap (a volume populated by a ConfigMap)");
                lines.add("    Name:      " + v.configMap().name());
                lines.add("    Optional:  " + v.configMap().optional());
            } else if (v.secret() != null) {
                lines.add("    Type:        Secret (a volume populated by a Secret)");
                lines.add("    SecretName:  " + v.secret().secretName());
                lines.add("    Optional:    " + v.secret().optional());
            } else if (v.emptyDir() != null) {
                lines.add("    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)");
                lines.add("    Medium:     " + v.emptyDir().medium());
                lines.add("    SizeLimit:  " + (v.emptyDir().sizeLimit() == null ? "<unset>" : Quantities.formatMemory(v.emptyDir().sizeLimit())));
            }
        }
        return lines;
    }
}
