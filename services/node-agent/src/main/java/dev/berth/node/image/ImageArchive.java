package dev.berth.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.ImageReference;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code docker save} archives (manifest.json + config + layer tars) and OCI image layouts, as a
 * directory or a tar (an "OCI archive"). A tar is first extracted to a private temp directory,
 * regular files and in-archive symlinks only (old docker saves link repeated layers), names checked
 * like layer entries; then every blob goes through the same verified install as a pull.
 */
final class ImageArchive {

    static final long MAX_ARCHIVE_ENTRIES = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BARE_TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    private ImageArchive() {}

    static List<ImageReference> load(Path archive, String defaultName, Path tmpRoot, ImageService images) throws IOException {
        if (Files.isDirectory(archive)) return loadDirectory(archive, defaultName, images);
        Path tmp = Files.createTempDirectory(Files.createDirectories(tmpRoot), "load-");
        try {
            extract(archive, tmp);
            return loadDirectory(tmp, defaultName, images);
        } finally {
            LayerUnpacker.removeExisting(tmp);
        }
    }

    private static List<ImageReference> loadDirectory(Path dir, String defaultName, ImageService images) throws IOException {
        if (Files.isRegularFile(dir.resolve("oci-layout")) && Files.isRegularFile(dir.resolve("index.json"))) {
            return loadOciLayout(dir, defaultName, images);
        }
        if (Files.isRegularFile(dir.resolve("manifest.json"))) return loadDockerSave(dir, defaultName, images);
        throw new IOException("not a docker save archive or OCI image layout: no manifest.json, no oci-layout + index.json");
    }

    private static List<ImageReference> loadOciLayout(Path dir, String defaultName, ImageService images) throws IOException {
        JsonNode index = Manifests.read(read(dir, "index.json"), "index.json");
        ImageService.BlobSource source = d -> Files.newInputStream(inside(dir, "blobs/sha256/" + d.hex()));
        List<ImageReference> loaded = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            Manifests.Descriptor top = Manifests.descriptor(entry, "index.json");
            byte[] topBytes = verified(dir, top.digest());
            JsonNode node = Manifests.read(topBytes, "manifest " + top.digest());
            List<byte[]> manifests = new ArrayList<>(List.of(topBytes));
            if (Manifests.isIndex(node, top.mediaType())) {
                Manifests.Descriptor d = Manifests.pick(node, "linux", Manifests.hostArchitecture(), "", "index " + top.digest());
                byte[] bytes = verified(dir, d.digest());
                manifests.add(bytes);
                node = Manifests.read(bytes, "manifest " + d.digest());
            }
            ImageReference ref = name(entry.path("annotations"), defaultName);
            images.install(ref, top.digest(), manifests, Manifests.manifest(node, "manifest " + top.digest()), source);
            loaded.add(ref);
        }
        if (loaded.isEmpty()) throw new IOException("index.json lists no images");
        return loaded;
    }

    /** containerd's full-name annotation, else the OCI ref.name: a full reference, or a tag of defaultName. */
    static ImageReference name(JsonNode annotations, String defaultName) {
        String full = annotations.path("io.containerd.image.name").asText("");
        if (!full.isEmpty()) return ImageReference.parse(full);
        String refName = annotations.path("org.opencontainers.image.ref.name").asText("");
        if (!refName.isEmpty() && !BARE_TAG.matcher(refName).matches()) return ImageReference.parse(refName);
        if (defaultName == null || defaultName.isEmpty()) {
            throw new IllegalArgumentException("the archive does not name its image" + (refName.isEmpty() ? "" : " (only tag \"" + refName + "\")")
                    + ": give a name");
        }
        ImageReference base = ImageReference.parse(defaultName);
        return refName.isEmpty() ? base : new ImageReference(base.domain(), base.path(), refName, null);
    }

    private static List<ImageReference> loadDockerSave(Path dir, String defaultName, ImageService images) throws IOException {
        JsonNode manifest = JSON.readTree(read(dir, "manifest.json"));
        if (!manifest.isArray() || manifest.isEmpty()) throw new IOException("manifest.json lists no images");
        List<ImageReference> loaded = new ArrayList<>();
        for (JsonNode image : manifest) {
            byte[] config = read(dir, image.path("Config").asText());
            Digest configDigest = Digest.of(config);
            ImageConfig parsed = ImageConfig.parse(config);
            JsonNode layerPaths = image.path("Layers");
            if (layerPaths.size() != parsed.diffIds().size()) {
                throw new IOException("manifest.json lists " + layerPaths.size() + " layers, the config " + parsed.diffIds().size());
            }
            Map<Digest, Path> files = new HashMap<>();
            files.put(configDigest, inside(dir, image.path("Config").asText()));
            // docker save layers are uncompressed tars: the blob digest is the diffID, checked on store
            ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Manifests.OCI_MANIFEST);
            m.putObject("config").put("mediaType", Manifests.OCI_CONFIG).put("digest", configDigest.toString())
                    .put("size", config.length);
            var layers = m.putArray("layers");
            for (int i = 0; i < layerPaths.size(); i++) {
                Path file = inside(dir, layerPaths.get(i).asText());
                Digest diffId = parsed.diffIds().get(i);
                files.put(diffId, file);
                layers.addObject().put("mediaType", Manifests.OCI_LAYER).put("digest", diffId.toString())
                        .put("size", Files.size(file));
            }
            byte[] manifestBytes = JSON.writeValueAsBytes(m);
            ImageService.BlobSource source = d -> {
                Path f = files.get(d);
                if (f == null) throw new IOException("no file for " + d);
                return Files.newInputStream(f);
            };
            List<ImageReference> refs = new ArrayList<>();
            for (JsonNode tag : image.path("RepoTags")) refs.add(ImageReference.parse(tag.asText()));
            if (refs.isEmpty()) {
                if (defaultName == null || defaultName.isEmpty()) throw new IllegalArgumentException("the archive's image has no RepoTags: give a name");
                refs.add(ImageReference.parse(defaultName));
            }
            for (ImageReference ref : refs) {
                images.install(ref, Digest.of(manifestBytes), List.of(manifestBytes),
                        Manifests.manifest(m, "manifest.json"), source);
                loaded.add(ref);
            }
        }
        return loaded;
    }

    private static byte[] verified(Path dir, Digest d) throws IOException {
        byte[] bytes = read(dir, "blobs/sha256/" + d.hex());
        if (!Digest.of(bytes).equals(d)) throw ImageException.pull("blob " + d + " of the archive is corrupt: it hashes to " + Digest.of(bytes));
        return bytes;
    }

    private static byte[] read(Path dir, String name) throws IOException {
        Path p = inside(dir, name);
        if (Files.size(p) > RegistryClient.MAX_MANIFEST_BYTES) throw new IOException(name + " is larger than " + RegistryClient.MAX_MANIFEST_BYTES + " bytes");
        return Files.readAllBytes(p);
    }

    /** {@code name} under {@code dir}, symlinks resolved and required to stay inside. */
    private static Path inside(Path dir, String name) throws IOException {
        if (name.isEmpty() || name.startsWith("/")) throw new IOException("bad path in archive: \"" + name + "\"");
        Path root = dir.toRealPath();
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) throw new IOException("path leaves the archive: \"" + name + "\"");
        Path real = p.toRealPath();
        if (!real.startsWith(root)) throw new IOException("path leaves the archive through a link: \"" + name + "\"");
        return real;
    }

    /** Extracts files, directories and relative in-archive symlinks; anything else is refused or skipped. */
    private static void extract(Path archive, Path dest) throws IOException {
        long count = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (++count > MAX_ARCHIVE_ENTRIES) throw new IOException("archive has more than " + MAX_ARCHIVE_ENTRIES + " entries");
                String name = e.getName();
                List<String> parts = new ArrayList<>();
                for (String c : name.split("/")) {
                    if (c.isEmpty() || c.equals(".")) continue;
                    if (c.equals("..") || name.startsWith("/")) throw new IOException("refused archive entry \"" + name + "\"");
                    parts.add(c);
                }
                if (parts.isEmpty()) continue;
                Path target = dest.resolve(String.join("/", parts));
                for (Path p = target.getParent(); !p.equals(dest); p = p.getParent()) {
                    if (Files.isSymbolicLink(p)) throw new IOException("refused archive entry \"" + name + "\": written through a link");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(e.getLinkName())); // resolved by inside(), which confines it
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    try (OutputStream out = Files.newOutputStream(target)) {
                        tar.transferTo(out);
                    }
                }
            }
        }
        if (Files.exists(dest.resolve("manifest.json"), LinkOption.NOFOLLOW_LINKS) || Files.exists(dest.resolve("index.json"))) return;
        throw new IOException(archive + " is not a docker save archive or an OCI archive (no manifest.json or index.json)");
    }
}
