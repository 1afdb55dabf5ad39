package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.EmptyDirVolumeSource;
import dev.berth.bus.contract.VolumeMount;
import dev.berth.node.core.PodConfig;
import dev.berth.node.runtime.BindMount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's volumes on the node: files with their modes, made once per pod, mounted read-only, gone with the pod. */
class PodVolumesTest {
    @TempDir Path dir;

    static PodConfig.File file(String path, String text, int mode) {
        return new PodConfig.File(path, text.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void filesEmptyDirsAndMountsThenAllGoWithThePod() throws Exception {
        PodVolumes volumes = new PodVolumes(dir.resolve("disk"), dir.resolve("memory"), false);
        List<PodConfig.VolumeContent> content = List.of(
                new PodConfig.VolumeContent("config", false, List.of(file("conf.d/site.conf", "server {}", 0644), file("mode", "x", 0600)), null),
                new PodConfig.VolumeContent("creds", true, List.of(file("password", "s3cr3t", 0400)), null),
                new PodConfig.VolumeContent("scratch", false, List.of(), new EmptyDirVolumeSource("", null)));
        Container c = Container.of("web", "busybox", List.of()).withConfig(null, null, List.of(
                new VolumeMount("config", "/etc/web", false, null), new VolumeMount("creds", "/run/creds", false, null),
                new VolumeMount("scratch", "/cache", false, "web"), new VolumeMount("scratch", "/ro", true, null)));

        List<BindMount> mounts = volumes.mounts("web-a", c, content, 0L);

        Path config = dir.resolve("disk/web-a/config");
        assertThat(Files.readString(config.resolve("conf.d/site.conf"))).isEqualTo("server {}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("mode")))).isEqualTo("rw-------");
        Path creds = dir.resolve("memory/web-a/creds");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds.resolve("password")))).isEqualTo("r--------");
        assertThat(dir.resolve("disk/web-a/creds")).doesNotExist(); // a Secret is never written to the disk root
        assertThat(mounts).containsExactly(new BindMount(config, "/etc/web", true), new BindMount(creds, "/run/creds", true),
                new BindMount(dir.resolve("disk/web-a/scratch/web"), "/cache", false), new BindMount(dir.resolve("disk/web-a/scratch"), "/ro", true));
        assertThat(dir.resolve("disk/web-a/scratch/web")).isDirectory();

        // a second container of the pod (or a restart) sees the same volumes: an emptyDir keeps what was written
        Files.writeString(dir.resolve("disk/web-a/scratch/web/kept"), "1");
        volumes.mounts("web-a", c, List.of(new PodConfig.VolumeContent("config", false, List.of(file("other", "y", 0644)), null),
                content.get(1), content.get(2)), 0L);
        assertThat(dir.resolve("disk/web-a/scratch/web/kept")).exists();
        assertThat(config.resolve("other")).doesNotExist(); // files are made once per pod on the node

        assertThat(volumes.remove("web-a")).isEmpty();
        assertThat(dir.resolve("disk/web-a")).doesNotExist();
        assertThat(dir.resolve("memory/web-a")).doesNotExist();
        assertThat(volumes.removeAll()).isEmpty();
    }

    @Test
    void aPathCannotLeaveItsVolumeAndTheErrorNamesNoContent() {
        PodVolumes volumes = new PodVolumes(dir.resolve("disk"), dir.resolve("memory"), false);
        Container c = Container.of("web", "busybox", List.of());
        assertThatThrownBy(() -> volumes.mounts("web-a", c, List.of(new PodConfig.VolumeContent("creds", true,
                List.of(file("../../escape", "s3cr3t", 0644)), null)), 0L))
                .isInstanceOf(PodVolumes.Failed.class).hasMessageContaining("leaves its volume").hasMessageNotContaining("s3cr3t");
        assertThat(dir.resolve("memory/escape")).doesNotExist();
        assertThat(PodVolumes.permissions(0644)).isEqualTo("rw-r--r--");
    }
}
