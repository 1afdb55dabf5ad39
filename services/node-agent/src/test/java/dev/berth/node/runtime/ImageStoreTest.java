package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

@EnabledIf("busyboxInstalled")
class ImageStoreTest {

    static boolean busyboxInstalled() {
        return Files.isExecutable(Path.of("/bin/busybox"));
    }

    @Test
    void buildsBusyboxImageOnce(@TempDir Path root) throws Exception {
        ImageStore store = new ImageStore(root);
        assertThat(store.list()).isEmpty();
        Path rootfs = store.ensureBusybox();

        assertThat(rootfs).isEqualTo(store.rootfs("busybox")).isAbsolute();
        assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(rootfs.resolve("bin/sleep")).isExecutable();
        assertThat(rootfs.resolve("usr/bin/cat")).isExecutable();
        assertThat(ImageStore.hasInterpreter(rootfs.resolve("bin/busybox"))).isFalse();
        for (String dir : new String[] {"proc", "dev", "sys", "tmp"}) assertThat(rootfs.resolve(dir)).isDirectory();
        assertThat(rootfs.resolve("etc/passwd")).content().startsWith("root:x:0:0:");
        assertThat(rootfs.resolve("etc/group")).exists();
        assertThat(rootfs.resolve("etc/hostname")).exists();

        Object inode = Files.readAttributes(rootfs, BasicFileAttributes.class).fileKey();
        assertThat(store.ensureBusybox()).isEqualTo(rootfs);
        assertThat(Files.readAttributes(rootfs, BasicFileAttributes.class).fileKey()).isEqualTo(inode); // not rebuilt
        assertThat(store.list()).containsExactly("busybox");
    }

    @Test
    void unknownImagesAreRejected(@TempDir Path root) {
        ImageStore store = new ImageStore(root);
        assertThatThrownBy(() -> store.rootfs("nginx")).hasMessageContaining("not present");
        assertThatThrownBy(() -> store.rootfs("../etc")).hasMessageContaining("bad image name");
    }

    @Test
    void refusesAMissingOrDynamicallyLinkedBusybox(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ImageStore.findStaticBusybox(List.of(dir.resolve("busybox"))))
                .hasMessageContaining("not installed").hasMessageContaining("apt-get install -y busybox-static");
        assertThat(ImageStore.hasInterpreter(Path.of("/bin/ls"))).isTrue();
        assertThatThrownBy(() -> ImageStore.findStaticBusybox(List.of(Path.of("/bin/ls"))))
                .hasMessageContaining("dynamically linked").hasMessageContaining("busybox-static");
    }
}
