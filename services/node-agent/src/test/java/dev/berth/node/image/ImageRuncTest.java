package dev.berth.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.ImageReference;
import dev.berth.node.RealRunc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The umoci-built image run by real runc on an overlay rootfs: the process the image config
 * resolves to is what the container sees (user, groups, cwd, env, argv), and writes stay in the
 * container's upper dir. The runtime config is written here, minimal, so this tests the image side
 * alone; the node agent's OciBundle wiring is separate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageRuncTest {

    Path base;
    ImageService images;
    ImageHandle image;
    final String id = "berth-image-test-" + ProcessHandle.current().pid();

    @BeforeAll
    void image() throws Exception {
        assumeTrue(ImageTools.usable() && RealRunc.usable(), "needs root, runc, umoci, skopeo and busybox-static");
        base = Files.createTempDirectory("berth-image-runc-");
        Path work = Files.createDirectories(base.resolve("work"));
        Path layout = work.resolve("layout");
        ImageTools.buildAppImage(work, layout, "app");
        Path archive = work.resolve("app.tar");
        ImageTools.skopeo(work, "oci:" + layout + ":app", "docker-archive:" + archive + ":app:v1");
        images = new ImageService(base.resolve("node"), ImageService.Options.defaults());
        images.load(archive, null);
        image = images.ensure(ImageReference.parse("app:v1"), PullPolicy.NEVER);
    }

    @AfterAll
    void cleanup() throws Exception {
        if (base == null) return;
        try {
            ImageTools.run(base, "runc", "delete", "--force", id + "-1");
        } catch (IOException ignored) {
            // not left behind
        }
        try {
            ImageTools.run(base, "runc", "delete", "--force", id + "-2");
        } catch (IOException ignored) {
            // not left behind
        }
        images.unmount(base.resolve("c1"));
        images.unmount(base.resolve("c2"));
        images.close();
        ImageTools.deleteTree(base);
    }

    @Test
    void theContainerSeesTheImagesConfigAndWritesStayInItsLayer() throws Exception {
        Path c1 = base.resolve("c1");
        Rootfs r1 = images.mountRootfs(image, c1);
        ProcessSpec p = image.config().resolve(List.of(), List.of("id -u; id -g; id -G; pwd; echo $GREETING $FROM_POD; ls /data/opq; test -e /data/gone.txt || echo gone"),
                Map.of("FROM_POD", "pod"), null, null, null, r1.path());
        assertThat(p.argv()).startsWith("/bin/sh", "-c"); // Entrypoint kept, Cmd replaced by args
        String out = run(c1, r1, p, id + "-1");
        assertThat(out.lines().toList()).containsExactly("1000", "1000", "1000 2000", "/data", "hi pod", "new.txt", "gone");

        ProcessSpec writer = image.config().resolve(List.of("/bin/sh", "-c", "echo written > /data/keep/new; rm /data/keep/a; cat /data/keep/new"),
                List.of(), Map.of(), null, 0L, 0L, r1.path());
        assertThat(run(c1, r1, writer, id + "-2")).isEqualTo("written\n");
        assertThat(c1.resolve("upper/data/keep/new")).hasContent("written");
        images.unmount(c1);
        assertThat(c1.resolve("upper")).doesNotExist();

        // the replacement container starts from the image again
        Path c2 = base.resolve("c2");
        Rootfs r2 = images.mountRootfs(image, c2);
        assertThat(r2.path().resolve("data/keep/new")).doesNotExist();
        assertThat(r2.path().resolve("data/keep/a")).exists();
        images.unmount(c2);
    }

    private String run(Path bundle, Rootfs rootfs, ProcessSpec p, String containerId) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode().put("ociVersion", "1.0.2").put("hostname", "img");
        ObjectNode proc = c.putObject("process").put("terminal", false).put("cwd", p.cwd()).put("noNewPrivileges", true);
        ObjectNode user = proc.putObject("user").put("uid", p.uid()).put("gid", p.gid());
        ArrayNode gids = user.putArray("additionalGids");
        p.additionalGids().forEach(gids::add);
        p.argv().forEach(proc.putArray("args")::add);
        p.envList().forEach(proc.putArray("env")::add);
        c.putObject("root").put("path", rootfs.path().toString()).put("readonly", false);
        ArrayNode mounts = c.putArray("mounts");
        mounts.addObject().put("destination", "/proc").put("type", "proc").put("source", "proc");
        mounts.addObject().put("destination", "/dev").put("type", "tmpfs").put("source", "tmpfs")
                .putArray("options").add("nosuid").add("mode=755");
        ArrayNode ns = c.putObject("linux").putArray("namespaces");
        for (String t : List.of("pid", "mount", "ipc", "uts", "network")) ns.addObject().put("type", t);
        json.writeValue(bundle.resolve("config.json").toFile(), c);
        try {
            return ImageTools.run(bundle, "runc", "run", "--bundle", bundle.toString(), containerId);
        } finally {
            ImageTools.run(bundle, "runc", "delete", "--force", containerId);
        }
    }
}
