package dev.berth.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The four manifest shapes a registry serves, and picking a platform out of an index. */
final class Manifests {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
    static final int MAX_LAYERS = 128;
    static final int MAX_INDEX_ENTRIES = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    record Descriptor(String mediaType, Digest digest, long size, String os, String architecture, String variant) {}

    /** An image manifest: its config blob and layers, bottom first. */
    record Manifest(Descriptor config, List<Descriptor> layers) {}

    private Manifests() {}

    static JsonNode read(byte[] body, String what) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) throw ImageException.pull(what + " is not a JSON object");
            return n;
        } catch (IOException e) {
            throw ImageException.pull(what + " is not valid JSON: " + e.getMessage());
        }
    }

    static boolean isIndex(JsonNode n, String contentType) {
        String mt = n.path("mediaType").asText(contentType == null ? "" : contentType);
        return mt.startsWith(OCI_INDEX) || mt.startsWith(DOCKER_LIST) || (n.has("manifests") && !n.has("layers"));
    }

    static Manifest manifest(JsonNode n, String what) {
        if (n.path("schemaVersion").asInt() == 1) {
            throw ImageException.pull(what + ": Docker schema 1 manifests are not supported");
        }
        if (!n.has("config") || !n.path("layers").isArray()) throw ImageException.pull(what + " is not an image manifest");
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : n.path("layers")) layers.add(descriptor(l, what));
        if (layers.size() > MAX_LAYERS) throw ImageException.pull(what + " has " + layers.size() + " layers, more than " + MAX_LAYERS);
        for (Descriptor l : layers) {
            if (l.mediaType().contains("zstd")) throw ImageException.pull(what + ": zstd layers are not supported");
            if (l.mediaType().contains("foreign") || l.mediaType().contains("nondistributable")) {
                throw ImageException.pull(what + ": foreign (non-distributable) layers are not supported");
            }
        }
        return new Manifest(descriptor(n.path("config"), what), layers);
    }

    /** The entry of an index for {@code os/arch[/variant]}; attestation manifests (unknown/unknown) never match. */
    static Descriptor pick(JsonNode index, String os, String arch, String variant, String what) {
        List<Descriptor> entries = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) entries.add(descriptor(m, what));
        if (entries.size() > MAX_INDEX_ENTRIES) throw ImageException.pull(what + " lists more than " + MAX_INDEX_ENTRIES + " manifests");
        Descriptor loose = null;
        List<String> seen = new ArrayList<>();
        for (Descriptor d : entries) {
            seen.add(d.os() + "/" + d.architecture() + (d.variant().isEmpty() ? "" : "/" + d.variant()));
            if (!d.os().equals(os) || !d.architecture().equals(arch)) continue;
            if (variant.isEmpty() || d.variant().isEmpty() || d.variant().equals(variant)) {
                if (d.variant().equals(variant)) return d;
                if (loose == null) loose = d;
            }
        }
        if (loose != null) return loose;
        throw ImageException.pull(what + ": no image for platform " + os + "/" + arch + " (has " + String.join(", ", seen) + ")");
    }

    static Descriptor descriptor(JsonNode d, String what) {
        String digest = d.path("digest").asText("");
        Digest parsed;
        try {
            parsed = Digest.parse(digest);
        } catch (IllegalArgumentException e) {
            throw ImageException.pull(what + ": " + e.getMessage());
        }
        long size = d.path("size").asLong(-1);
        JsonNode p = d.path("platform");
        return new Descriptor(d.path("mediaType").asText(""), parsed, size, p.path("os").asText(""),
                p.path("architecture").asText(""), p.path("variant").asText(""));
    }

    /** The node's platform in OCI terms: os.arch amd64/x86_64 -> amd64, aarch64 -> arm64. */
    static String hostArchitecture() {
        String a = System.getProperty("os.arch", "");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> a;
        };
    }
}
