package dev.berth.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What an ADD did, on disk, like libcni's cache ({@code /var/lib/cni/results}): the configuration list it
 * ran, the runtime arguments and the result. DEL and CHECK after an agent restart use exactly these, so a
 * pod is torn down with the configuration it was set up with even if the config directory changed since.
 * One file per (network, container id, interface), written atomically.
 */
public final class ResultCache {
    public static final String KIND = "berthCniCacheV1";
    private static final int MAX_BYTES = 2 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public ResultCache(Path dir) { this.dir = dir; }

    public record Entry(CniConfigList config, CniRuntime runtime, CniResult result) {}

    public Path dir() { return dir; }

    Path file(String network, String containerId, String ifName) {
        return dir.resolve(network + "-" + containerId + "-" + ifName + ".json");
    }

    public void put(Entry e) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("kind", KIND)
                .put("containerId", e.runtime().containerId()).put("ifName", e.runtime().ifName())
                .put("networkName", e.config().name()).put("netns", e.runtime().netns());
        ObjectNode args = o.putObject("cniArgs");
        e.runtime().args().forEach(args::put);
        ObjectNode caps = o.putObject("capabilityArgs");
        e.runtime().capabilityArgs().forEach(caps::set);
        o.set("config", e.config().toJson());
        o.set("result", e.result().json());
        Files.createDirectories(dir);
        Path target = file(e.config().name(), e.runtime().containerId(), e.runtime().ifName());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException notOnThisFs) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Optional<Entry> get(String network, String containerId, String ifName) throws IOException {
        Path f = file(network, containerId, ifName);
        if (!Files.isRegularFile(f)) return Optional.empty();
        return Optional.of(read(f));
    }

    /**
     * The entry of a container's interface whatever network it was added to (the config dir may have
     * changed since: the pod must still be deleted from the network it joined). Networks in {@code except}
     * are skipped (e.g. loopback's).
     */
    public Optional<Entry> find(String containerId, String ifName, String except) throws IOException {
        String suffix = "-" + containerId + "-" + ifName + ".json";
        for (Path f : files()) {
            if (!f.getFileName().toString().endsWith(suffix)) continue;
            Entry e = read(f);
            if (e.runtime().containerId().equals(containerId) && e.runtime().ifName().equals(ifName) && !e.config().name().equals(except)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public void remove(String network, String containerId, String ifName) throws IOException {
        Files.deleteIfExists(file(network, containerId, ifName));
    }

    /** Every entry, e.g. to find the attachments a crashed agent left. Unreadable files are reported, not skipped silently. */
    public List<Path> files() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    public static Entry read(Path f) throws IOException {
        if (Files.size(f) > MAX_BYTES) throw new IOException(f + ": larger than " + MAX_BYTES + " bytes");
        JsonNode o = JSON.readTree(Files.readAllBytes(f));
        if (o == null || !KIND.equals(o.path("kind").asText())) throw new IOException(f + ": not a " + KIND + " entry");
        CniConfigList config = CniConfigList.parse(JSON.writeValueAsBytes(o.path("config")), f + "#config");
        Map<String, String> args = new LinkedHashMap<>();
        o.path("cniArgs").fields().forEachRemaining(en -> args.put(en.getKey(), en.getValue().asText()));
        Map<String, JsonNode> caps = new LinkedHashMap<>();
        o.path("capabilityArgs").fields().forEachRemaining(en -> caps.put(en.getKey(), en.getValue()));
        String netns = o.path("netns").isTextual() ? o.path("netns").asText() : null;
        CniRuntime rt = new CniRuntime(o.path("containerId").asText(), netns, o.path("ifName").asText(), args, caps);
        if (!o.path("result").isObject()) throw new IOException(f + ": no result");
        return new Entry(config, rt, new CniResult((ObjectNode) o.path("result")));
    }

    static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
