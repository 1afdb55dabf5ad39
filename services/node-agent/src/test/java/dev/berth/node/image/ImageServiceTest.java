package dev.berth.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The image service against fixtures made by third-party tools: umoci builds the image, skopeo
 * converts it to docker-save and OCI archives and pushes it to Debian's docker-registry on
 * 127.0.0.1 (one registry open, one behind htpasswd). Needs root (ownership, whiteout devices,
 * overlay mounts) and the tools; skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageServiceTest {

    Path base;
    Path layout;
    Path dockerArchive;
    Path ociArchive;
    ImageTools.Registry open;
    ImageTools.Registry locked;
    final List<Path> containerDirs = new ArrayList<>();
    final List<ImageService> services = new ArrayList<>();

    @BeforeAll
    void fixtures() throws Exception {
        assumeTrue(ImageTools.usable(), "needs root, umoci, skopeo, docker-registry, htpasswd and busybox-static");
        base = Files.createTempDirectory("berth-images-test-");
        Path work = Files.createDirectories(base.resolve("work"));
        layout = work.resolve("layout");
        ImageTools.buildAppImage(work, layout, "app");
        ImageTools.buildFilesImage(work, layout, "unique", 3, 4096, System.nanoTime());
        dockerArchive = work.resolve("app-docker.tar");
        ociArchive = work.resolve("app-oci.tar");
        ImageTools.skopeo(work, "oci:" + layout + ":app", "docker-archive:" + dockerArchive + ":app:v1");
        ImageTools.skopeo(work, "oci:" + layout + ":app", "oci-archive:" + ociArchive + ":app:v1");
        open = new ImageTools.Registry(Files.createDirectories(base.resolve("reg-open")), null, null);
        locked = new ImageTools.Registry(Files.createDirectories(base.resolve("reg-locked")), "berth", "s3cret");
        ImageTools.skopeo(work, "oci:" + layout + ":app", "docker://" + open.host() + "/team/app:v1");
        ImageTools.skopeo(work, "oci:" + layout + ":unique", "docker://" + open.host() + "/unique:v1");
        ImageTools.run(work, "skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", "berth:s3cret",
                "oci:" + layout + ":app", "docker://" + locked.host() + "/private/app:v1");
    }

    @AfterAll
    void cleanup() throws Exception {
        try {
            for (Path d : containerDirs) {
                try {
                    Overlay.unmount(d);
                } catch (IOException e) {
                    System.err.println("cleanup: " + e.getMessage());
                }
            }
            services.forEach(ImageService::close);
        } finally {
            try {
                if (open != null) open.close();
            } finally {
                if (locked != null) locked.close();
                ImageTools.deleteTree(base);
            }
        }
    }

    ImageService service(String name) throws IOException {
        return service(name, ImageService.Options.defaults());
    }

    ImageService service(String name, ImageService.Options options) throws IOException {
        ImageService s = new ImageService(Files.createDirectories(base.resolve("nodes").resolve(name)), options);
        services.add(s);
        return s;
    }

    Path containerDir(String name) throws IOException {
        Path d = Files.createDirectories(base.resolve("containers").resolve(name));
        containerDirs.add(d);
        return d;
    }

    ImageReference ref(String text) {
        return ImageReference.parse(text);
    }

    @Test
    void loadsADockerSaveArchive() throws Exception {
        ImageService images = service("docker-save");
        assertThat(images.load(dockerArchive, null)).containsExactly(ref("app:v1"));
        ImageHandle h = images.ensure(ref("docker.io/library/app:v1"), PullPolicy.NEVER);
        assertThat(h.layers()).hasSize(3);
        assertThat(h.config().user()).isEqualTo("app");
        assertThat(images.list()).extracting(ImageSummary::reference).containsExactly("docker.io/library/app:v1");
        assertMergedView(images, h, "docker-save");
    }

    @Test
    void loadsAnOciArchiveAndAnOciLayout() throws Exception {
        ImageService images = service("oci");
        assertThat(images.load(ociArchive, null)).containsExactly(ref("app:v1"));
        // umoci names by tag only ("app"): the caller's name supplies the repository
        assertThat(images.load(layout, "localhost/fixtures")).contains(ref("localhost/fixtures:app"));
        ImageHandle a = images.ensure(ref("app:v1"), PullPolicy.NEVER);
        ImageHandle b = images.ensure(ref("localhost/fixtures:app"), PullPolicy.NEVER);
        assertThat(a.id()).isEqualTo(b.id());
        assertThat(a.layers()).isEqualTo(b.layers()); // one unpacked copy of each layer
        assertMergedView(images, b, "oci-layout");
    }

    @Test
    void pullsByTagAndByDigestAndSurvivesARestart() throws Exception {
        Path root = Files.createDirectories(base.resolve("nodes").resolve("pull"));
        ImageService images = new ImageService(root, ImageService.Options.defaults());
        services.add(images);
        ImageHandle byTag = images.ensure(ref(open.host() + "/team/app:v1"), PullPolicy.IF_NOT_PRESENT);
        assertThat(byTag.layers()).hasSize(3).allMatch(Files::isDirectory);
        ImageHandle byDigest = images.ensure(ref(open.host() + "/team/app@" + byTag.digest()), PullPolicy.ALWAYS);
        assertThat(byDigest.id()).isEqualTo(byTag.id());
        assertThat(byDigest.layers()).isEqualTo(byTag.layers());
        assertThat(byTag.imageId()).isEqualTo(open.host() + "/team/app@" + byTag.digest());

        images.close();
        ImageService restarted = new ImageService(root, ImageService.Options.defaults());
        services.add(restarted);
        open.close(); // present images need no registry
        try {
            ImageHandle again = restarted.ensure(ref(open.host() + "/team/app:v1"), PullPolicy.IF_NOT_PRESENT);
            assertThat(again.digest()).isEqualTo(byTag.digest());
            assertThatThrownBy(() -> restarted.ensure(ref(open.host() + "/team/app:v1"), PullPolicy.ALWAYS))
                    .isInstanceOf(ImageException.class).hasMessageContaining("team/app");
        } finally {
            open = new ImageTools.Registry(base.resolve("reg-open"), null, null, open.port);
        }
    }

    @Test
    void concurrentEnsuresShareOnePull() throws Exception {
        ImageService images = service("concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<Future<ImageHandle>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(pool.submit(() -> {
                    go.await();
                    return images.ensure(ref(open.host() + "/team/app:v1"), PullPolicy.IF_NOT_PRESENT);
                }));
            }
            go.countDown();
            Set<Digest> ids = new java.util.HashSet<>();
            for (Future<ImageHandle> f : all) ids.add(f.get().id());
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        // whoever came while the pull ran waited for it; whoever came after found the image present
        assertThat(images.pulls()).isEqualTo(1);
    }

    @Test
    void aCorruptedBlobIsRejected() throws Exception {
        ImageService images = service("corrupt");
        // the unique image's top layer is its own: tamper with it in the registry's storage, same size
        byte[] manifest = Files.readAllBytes(layout.resolve("index.json"));
        String manifestDigest = null;
        for (var m : new ObjectMapper().readTree(manifest).path("manifests")) {
            if (m.path("annotations").path("org.opencontainers.image.ref.name").asText().equals("unique")) manifestDigest = m.path("digest").asText();
        }
        var layers = new ObjectMapper().readTree(layout.resolve("blobs/sha256/" + manifestDigest.substring(7)).toFile()).path("layers");
        Digest top = Digest.parse(layers.get(layers.size() - 1).path("digest").asText());
        Path data = open.blobData(top);
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(data, bytes);
        assertThatThrownBy(() -> images.ensure(ref(open.host() + "/unique:v1"), PullPolicy.ALWAYS))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("digest mismatch").hasMessageContaining(top.toString())
                .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo("ErrImagePull"));
        assertThat(images.list()).isEmpty();
        assertThat(Files.exists(images.blobPath(top))).isFalse();
    }

    @Test
    void aMissingImageNamesTheRegistrysAnswer() throws Exception {
        ImageService images = service("missing");
        assertThatThrownBy(() -> images.ensure(ref(open.host() + "/team/app:nope"), PullPolicy.IF_NOT_PRESENT))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("404 MANIFEST_UNKNOWN")
                .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo("ErrImagePull"));
        assertThatThrownBy(() -> images.ensure(ref(open.host() + "/nobody/here:v1"), PullPolicy.IF_NOT_PRESENT))
                .hasMessageContaining("404").hasMessageContaining("nobody/here");
        assertThatThrownBy(() -> images.ensure(ref(open.host() + "/team/app:v1"), PullPolicy.NEVER))
                .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo("ErrImageNeverPull"));
    }

    @Test
    void authWithAndWithoutCredentials() throws Exception {
        ImageService anonymous = service("anonymous");
        assertThatThrownBy(() -> anonymous.ensure(ref(locked.host() + "/private/app:v1"), PullPolicy.ALWAYS))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("401 UNAUTHORIZED").hasMessageContaining("no credentials");

        String auth = Base64.getEncoder().encodeToString("berth:wrong".getBytes(StandardCharsets.UTF_8));
        ImageService wrong = service("wrong", ImageService.Options.defaults().withCredentials(RegistryCredentials.parse(
                ("{\"auths\":{\"" + locked.host() + "\":{\"auth\":\"" + auth + "\"}}}").getBytes(StandardCharsets.UTF_8))));
        assertThatThrownBy(() -> wrong.ensure(ref(locked.host() + "/private/app:v1"), PullPolicy.ALWAYS))
                .hasMessageContaining("401");

        Path config = base.resolve("docker-config.json");
        Files.writeString(config, "{\"auths\":{\"http://" + locked.host() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("berth:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        ImageService withCreds = service("creds", ImageService.Options.defaults().withCredentials(RegistryCredentials.load(config)));
        ImageHandle h = withCreds.ensure(ref(locked.host() + "/private/app:v1"), PullPolicy.ALWAYS);
        assertThat(h.layers()).hasSize(3);
        // a pod's own credentials (imagePullSecrets) on a node that has none
        ImageHandle viaPod = anonymous.ensure(ref(locked.host() + "/private/app:v1"), PullPolicy.ALWAYS, RegistryCredentials.load(config));
        assertThat(viaPod.id()).isEqualTo(h.id());
    }

    @Test
    void containersOfOneImageShareItsLayersAndKeepTheirWritesApart() throws Exception {
        ImageService images = service("share");
        ImageHandle h = images.ensure(ref(open.host() + "/team/app:v1"), PullPolicy.IF_NOT_PRESENT);
        Path d1 = containerDir("share-1");
        Path d2 = containerDir("share-2");
        Rootfs r1 = images.mountRootfs(h, d1);
        Rootfs r2 = images.mountRootfs(h, d2);
        try {
            assertThat(r1.kind()).isEqualTo(Rootfs.Kind.OVERLAY);
            assertThat(r2.kind()).isEqualTo(Rootfs.Kind.OVERLAY);
            // the same file on disk, seen through both overlays: one inode in one lower layer
            Object ino1 = Files.getAttribute(r1.path().resolve("bin/busybox"), "unix:ino");
            Object ino2 = Files.getAttribute(r2.path().resolve("bin/busybox"), "unix:ino");
            Object lower = Files.getAttribute(h.layers().get(0).resolve("bin/busybox"), "unix:ino");
            assertThat(ino1).isEqualTo(ino2).isEqualTo(lower);
            assertThat(mountOptions(r1.path())).contains("lowerdir=" + h.layers().get(2).getFileName());
            assertThat(mountOptions(r1.path())).isEqualTo(mountOptions(r2.path()).replace("share-2", "share-1"));

            Files.writeString(r1.path().resolve("data/written.txt"), "mine\n");
            Files.delete(r1.path().resolve("data/keep/a"));
            assertThat(d1.resolve("upper/data/written.txt")).hasContent("mine");
            assertThat(r2.path().resolve("data/written.txt")).doesNotExist();
            assertThat(r2.path().resolve("data/keep/a")).exists();
            assertThat(h.layers().get(0).resolve("data/keep/a")).exists(); // the image is untouched
        } finally {
            images.unmount(d1);
            images.unmount(d2);
        }
        assertThat(Overlay.isMountPoint(d1.resolve("rootfs"))).isFalse();
        assertThat(d1.resolve("upper")).doesNotExist();
        assertThat(d1.resolve("rootfs")).doesNotExist();
        // a new container of the image starts clean
        Path d3 = containerDir("share-1b");
        Rootfs r3 = images.mountRootfs(h, d3);
        try {
            assertThat(r3.path().resolve("data/written.txt")).doesNotExist();
            assertThat(r3.path().resolve("data/keep/a")).exists();
        } finally {
            images.unmount(d3);
        }
    }

    @Test
    void theCopyFallbackGivesTheSameView() throws Exception {
        ImageService images = service("copy", ImageService.Options.defaults().withForceCopyRootfs(true));
        images.load(dockerArchive, null);
        ImageHandle h = images.ensure(ref("app:v1"), PullPolicy.NEVER);
        Path d = containerDir("copy");
        Rootfs r = images.mountRootfs(h, d);
        try {
            assertThat(r.kind()).isEqualTo(Rootfs.Kind.COPY);
            assertThat(r.why()).isNotEmpty();
            assertView(r.path());
        } finally {
            images.unmount(d);
        }
        assertThat(d.resolve("rootfs")).doesNotExist();
    }

    @Test
    void theConfigResolvesWithTheImagesUsers() throws Exception {
        ImageService images = service("config");
        images.load(dockerArchive, null);
        ImageHandle h = images.ensure(ref("app:v1"), PullPolicy.NEVER);
        Path d = containerDir("config");
        Rootfs r = images.mountRootfs(h, d);
        try {
            ProcessSpec p = h.config().resolve(List.of(), List.of(), Map.of("EXTRA", "1"), null, null, null, r.path());
            assertThat(p.argv()).containsExactly("/bin/sh", "-c", "echo hello");
            assertThat(p.cwd()).isEqualTo("/data");
            assertThat(p.uid()).isEqualTo(1000);
            assertThat(p.gid()).isEqualTo(1000);
            assertThat(p.additionalGids()).containsExactly(2000L);
            assertThat(p.env()).containsEntry("GREETING", "hi").containsEntry("EXTRA", "1").containsKey("PATH");
            ProcessSpec overridden = h.config().resolve(List.of("/bin/id"), List.of(), Map.of("GREETING", "yo"), "/", 0L, null, r.path());
            assertThat(overridden.argv()).containsExactly("/bin/id");
            assertThat(overridden.uid()).isZero();
            assertThat(overridden.env()).containsEntry("GREETING", "yo");
        } finally {
            images.unmount(d);
        }
    }

    @Test
    void removeAndPruneDropUnusedLayers() throws Exception {
        ImageService images = service("prune");
        images.load(dockerArchive, null);
        ImageHandle h = images.ensure(ref(open.host() + "/unique:v1"), PullPolicy.IF_NOT_PRESENT);
        ImageHandle app = images.ensure(ref("app:v1"), PullPolicy.NEVER);
        Path shared = app.layers().get(0);
        assertThatThrownBy(() -> images.remove(ref(open.host() + "/unique:v1"), Set.of(h.digest())))
                .hasMessageContaining("in use");
        assertThat(images.remove(ref(open.host() + "/unique:v1"), Set.of())).containsExactly(open.host() + "/unique:v1");
        assertThat(h.layers().get(h.layers().size() - 1)).doesNotExist();
        assertThat(shared).exists(); // still app's
        assertThat(images.prune(Set.of(app.digest()))).isEmpty();
        assertThat(images.prune(Set.of())).containsExactly("docker.io/library/app:v1");
        assertThat(shared).doesNotExist();
        assertThat(images.list()).isEmpty();
    }

    private void assertMergedView(ImageService images, ImageHandle h, String name) throws IOException {
        Path d = containerDir(name);
        Rootfs r = images.mountRootfs(h, d);
        try {
            assertView(r.path());
        } finally {
            images.unmount(d);
        }
    }

    /** What the three layers add up to: a whiteout honoured, an opaque dir hiding what was below, ownership kept. */
    static void assertView(Path root) throws IOException {
        assertThat(root.resolve("data/gone.txt")).doesNotExist();
        assertThat(root.resolve("data/keep/a")).hasContent("keep");
        assertThat(root.resolve("data/keep/c")).hasContent("c");
        assertThat(root.resolve("data/opq/old1")).doesNotExist();
        assertThat(root.resolve("data/opq/new.txt")).hasContent("new");
        try (var s = Files.list(root.resolve("data/opq"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("new.txt");
        }
        assertThat(Files.isSymbolicLink(root.resolve("bin/sh"))).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(Files.isExecutable(root.resolve("bin/busybox"))).isTrue();
        assertThat((Integer) Files.getAttribute(root.resolve("bin/busybox"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isZero();
    }

    private static String mountOptions(Path mountPoint) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals(mountPoint.toAbsolutePath().toString())) return line.substring(line.indexOf(" - ") + 3);
        }
        throw new AssertionError("not mounted: " + mountPoint);
    }

}
