package dev.berth.node.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.ImageReference;
import dev.berth.node.image.ImageService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code busybox} without a registry: the host's static busybox made into an ordinary image of the
 * node's store under {@code docker.io/library/busybox:latest}, as kind and minikube preload images.
 * Built as an OCI image layout (one uncompressed layer: /bin/busybox, its applet links, /etc/passwd
 * and /etc/group, mount points; config Cmd [sh] like Docker Hub's busybox) and loaded through the
 * same path as {@code berth image load}. This image is never pulled: {@link #isLocal} makes its
 * pull policy IfNotPresent, so no registry (docker.io) is ever contacted for it.
 */
public final class LocalBusyboxImage {

    private static final System.Logger LOG = System.getLogger(LocalBusyboxImage.class.getName());
    public static final ImageReference REFERENCE = ImageReference.parse("busybox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalBusyboxImage() {}

    /** Whether {@code ref} is the node-built busybox, served from the store only. */
    public static boolean isLocal(ImageReference ref) {
        return ref.equals(REFERENCE);
    }

    /** Loads the image into {@code images} unless present. */
    public static void ensure(ImageService images, Path scratch) throws IOException {
        if (images.find(REFERENCE).isPresent()) return;
        Path busybox = ImageStore.findStaticBusybox(ImageStore.busyboxCandidates());
        List<String> applets = ImageStore.applets(busybox);
        Files.createDirectories(scratch);
        Path layout = Files.createTempDirectory(scratch, ".busybox-layout-");
        try {
            Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
            byte[] layer = layer(busybox, applets);
            String layerDigest = blob(blobs, layer);
            ObjectNode config = JSON.createObjectNode().put("architecture", hostArchitecture()).put("os", "linux");
            ObjectNode c = config.putObject("config");
            c.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            c.putArray("Cmd").add("sh");
            config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layerDigest);
            byte[] configBytes = JSON.writeValueAsBytes(config);
            ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
                    .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                    .put("digest", blob(blobs, configBytes)).put("size", configBytes.length);
            manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
                    .put("digest", layerDigest).put("size", layer.length);
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
            index.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                    .put("digest", blob(blobs, manifestBytes)).put("size", manifestBytes.length)
                    .putObject("annotations").put("io.containerd.image.name", REFERENCE.toString());
            Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            images.load(layout, null);
            LOG.log(Level.INFO, "loaded {0} built from {1} ({2} applets)", REFERENCE, busybox, applets.size());
        } finally {
            ImageStore.deleteRecursively(layout);
        }
    }

    /** The layer tar; fixed times and owners, so the same busybox always makes the same digest. */
    static byte[] layer(Path busybox, List<String> applets) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String d : List.of("bin/", "dev/", "etc/", "proc/", "root/", "sys/", "usr/")) dir(tar, d, 0755);
            dir(tar, "tmp/", 01777);
            file(tar, "bin/busybox", Files.readAllBytes(busybox), 0755);
            for (String applet : applets) if (!applet.equals("busybox")) link(tar, "bin/" + applet, "busybox");
            link(tar, "sbin", "bin");
            link(tar, "usr/bin", "../bin");
            file(tar, "etc/passwd", ("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
                    .getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8), 0644);
        }
        return bytes.toByteArray();
    }

    private static void dir(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | mode);
        fixed(e);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | mode);
        e.setSize(content.length);
        fixed(e);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(target);
        fixed(e);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void fixed(TarArchiveEntry e) {
        e.setModTime(0);
        e.setIds(0, 0);
        e.setUserName("root");
        e.setGroupName("root");
    }

    private static String blob(Path blobs, byte[] content) throws IOException {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            try (OutputStream out = Files.newOutputStream(blobs.resolve(hex))) {
                out.write(content);
            }
            return "sha256:" + hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hostArchitecture() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
    }
}
