package dev.berth.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A CNI network configuration list ({@code .conflist}): a network name, a spec version and the chained
 * plugins' configurations, in order. A single-plugin {@code .conf} file is read as a list of one, as libcni
 * does. Loaded from a directory like kubelet and containerd do: the first {@code *.conflist}, {@code *.conf}
 * or {@code *.json} in name order, so a Calico, flannel or Cilium configuration works unchanged.
 */
public record CniConfigList(String name, String cniVersion, boolean disableCheck, List<ObjectNode> plugins, String source) {
    public static final int MAX_FILE_BYTES = 1 << 20;
    public static final int MAX_PLUGINS = 32;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public CniConfigList {
        if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("invalid CNI network name: " + name);
        if (cniVersion == null || cniVersion.isBlank()) throw new IllegalArgumentException("network " + name + " has no cniVersion");
        if (plugins == null || plugins.isEmpty()) throw new IllegalArgumentException("network " + name + " has no plugins");
        if (plugins.size() > MAX_PLUGINS) throw new IllegalArgumentException("network " + name + " chains " + plugins.size() + " plugins, more than " + MAX_PLUGINS);
        for (ObjectNode p : plugins) {
            if (!p.path("type").isTextual() || p.path("type").asText().isBlank()) {
                throw new IllegalArgumentException("a plugin of network " + name + " has no type");
            }
        }
        plugins = plugins.stream().map(ObjectNode::deepCopy).toList();
    }

    /** The list as JSON, in the shape of a {@code .conflist} file. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode().put("cniVersion", cniVersion).put("name", name);
        if (disableCheck) o.put("disableCheck", true);
        ArrayNode ps = o.putArray("plugins");
        plugins.forEach(p -> ps.add(p.deepCopy()));
        return o;
    }

    public byte[] toBytes() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<String> types() { return plugins.stream().map(p -> p.path("type").asText()).toList(); }

    /** Parses a {@code .conflist} (has "plugins") or a {@code .conf} (one plugin with a "type"). */
    public static CniConfigList parse(byte[] bytes, String source) {
        if (bytes.length > MAX_FILE_BYTES) throw new IllegalArgumentException(source + ": larger than " + MAX_FILE_BYTES + " bytes");
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(source + ": not a JSON object");
        String name = root.path("name").asText(null);
        String version = root.path("cniVersion").asText(null);
        try {
            if (root.has("plugins")) {
                if (!root.get("plugins").isArray()) throw new IllegalArgumentException("\"plugins\" is not a list");
                List<ObjectNode> plugins = new ArrayList<>();
                for (JsonNode p : root.get("plugins")) {
                    if (!p.isObject()) throw new IllegalArgumentException("a plugin configuration is not an object");
                    plugins.add((ObjectNode) p);
                }
                return new CniConfigList(name, version, disableCheck(root.get("disableCheck")), plugins, source);
            }
            if (!root.has("type")) throw new IllegalArgumentException("neither \"plugins\" nor \"type\"");
            return new CniConfigList(name, version, false, List.of((ObjectNode) root), source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    /** The spec writes disableCheck as a string ("true") and libcni also takes a boolean. */
    private static boolean disableCheck(JsonNode n) {
        if (n == null || n.isNull()) return false;
        if (n.isBoolean()) return n.asBoolean();
        if (n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(n.asText());
        }
        throw new IllegalArgumentException("disableCheck must be true or false, not " + n);
    }

    /** Candidate files of a config directory, in the order they are tried. */
    public static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> { String n = f.getFileName().toString(); return n.endsWith(".conflist") || n.endsWith(".conf") || n.endsWith(".json"); })
                    .sorted()
                    .toList();
        }
    }

    /**
     * The first configuration of {@code dir} in name order. A file that does not parse is skipped with
     * its reason in the exception's suppressed list only when no later file parses (like containerd, which
     * loads the first valid one).
     */
    public static Optional<CniConfigList> load(Path dir) throws IOException {
        IllegalArgumentException problems = null;
        for (Path f : files(dir)) {
            if (Files.size(f) > MAX_FILE_BYTES) continue;
            try {
                return Optional.of(parse(Files.readAllBytes(f), f.toString()));
            } catch (IllegalArgumentException e) {
                if (problems == null) problems = new IllegalArgumentException("no valid CNI configuration in " + dir);
                problems.addSuppressed(e);
            }
        }
        if (problems != null) throw problems;
        return Optional.empty();
    }
}
