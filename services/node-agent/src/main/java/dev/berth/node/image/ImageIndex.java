package dev.berth.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.ImageReference;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * References to images, kept in {@code index.json} and rewritten whole (temp file + atomic rename) on
 * every change, so a crash leaves the old or the new index, never half of one. Entries whose layers
 * are gone (an interrupted removal) are dropped when loaded.
 */
final class ImageIndex {

    private static final System.Logger LOG = System.getLogger(ImageIndex.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    record Entry(String reference, Digest digest, Digest config, List<Digest> manifests, List<Digest> blobs,
                 List<Digest> diffIds, long size) {}

    private final Path file;
    private final Map<String, Entry> byReference = new LinkedHashMap<>();

    private ImageIndex(Path file) {
        this.file = file;
    }

    static ImageIndex load(Path file, Predicate<Entry> complete) throws IOException {
        ImageIndex idx = new ImageIndex(file);
        if (Files.exists(file)) {
            JsonNode root = JSON.readTree(file.toFile());
            for (JsonNode n : root.path("images")) {
                try {
                    Entry e = new Entry(n.path("reference").asText(), Digest.parse(n.path("digest").asText()),
                            Digest.parse(n.path("config").asText()), digests(n.path("manifests")),
                            digests(n.path("blobs")), digests(n.path("diffIds")), n.path("size").asLong());
                    ImageReference.parse(e.reference());
                    if (complete.test(e)) idx.byReference.put(e.reference(), e);
                    else LOG.log(Level.WARNING, "dropping image {0}: its layers are incomplete", e.reference());
                } catch (IllegalArgumentException bad) {
                    LOG.log(Level.WARNING, "dropping a bad entry of {0}: {1}", file, bad.getMessage());
                }
            }
        }
        return idx;
    }

    private static List<Digest> digests(JsonNode array) {
        List<Digest> out = new ArrayList<>();
        for (JsonNode d : array) out.add(Digest.parse(d.asText()));
        return out;
    }

    synchronized Optional<Entry> find(ImageReference ref) {
        Entry exact = byReference.get(ref.toString());
        if (exact != null) return Optional.of(exact);
        if (ref.digest() == null) return Optional.empty();
        Digest d = Digest.parse(ref.digest());
        return byReference.values().stream()
                .filter(e -> e.digest().equals(d) || e.manifests().contains(d)).findFirst();
    }

    synchronized List<Entry> entries() {
        return List.copyOf(byReference.values());
    }

    synchronized void put(Entry e) throws IOException {
        byReference.put(e.reference(), e);
        save();
    }

    synchronized void removeAll(Collection<Entry> entries) throws IOException {
        entries.forEach(e -> byReference.remove(e.reference()));
        save();
    }

    private void save() throws IOException {
        ObjectNode root = JSON.createObjectNode().put("version", 1);
        ArrayNode images = root.putArray("images");
        for (Entry e : byReference.values()) {
            ObjectNode n = images.addObject().put("reference", e.reference()).put("digest", e.digest().toString())
                    .put("config", e.config().toString()).put("size", e.size());
            ArrayNode manifests = n.putArray("manifests");
            e.manifests().forEach(d -> manifests.add(d.toString()));
            ArrayNode blobs = n.putArray("blobs");
            e.blobs().forEach(d -> blobs.add(d.toString()));
            ArrayNode diffIds = n.putArray("diffIds");
            e.diffIds().forEach(d -> diffIds.add(d.toString()));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
