package dev.berth.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A docker-save archive whose layer tries to leave its directory: refused, nothing left behind. */
class HostileArchiveTest {

    @TempDir
    Path dir;

    @Test
    void aLayerEscapingThroughASymlinkIsRefusedAtLoad() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        byte[] layer = new LayerUnpackerTest.Tar().symlink("etc", outside.toString()).file("etc/planted", "evil").bytes();
        Path archive = dockerSave(layer);
        try (ImageService images = new ImageService(dir.resolve("node"), ImageService.Options.defaults())) {
            assertThatThrownBy(() -> images.load(archive, null)).isInstanceOf(ImageException.class)
                    .hasMessageContaining("refused entry").hasMessageContaining("symbolic link");
            assertThat(images.list()).isEmpty();
            try (var layers = Files.list(dir.resolve("node/images/layers"))) {
                assertThat(layers.toList()).isEmpty(); // the half-unpacked temp dir is gone too
            }
        }
        assertThat(outside.resolve("planted")).doesNotExist();
    }

    @Test
    void aLayerThatIsNotWhatTheConfigSaysIsRefused() throws IOException {
        byte[] layer = new LayerUnpackerTest.Tar().file("a", "1").bytes();
        byte[] other = new LayerUnpackerTest.Tar().file("a", "2").bytes();
        Path archive = dockerSave(layer, Digest.of(other));
        try (ImageService images = new ImageService(dir.resolve("node2"), ImageService.Options.defaults())) {
            assertThatThrownBy(() -> images.load(archive, null)).isInstanceOf(ImageException.class)
                    .hasMessageContaining("digest mismatch");
            assertThat(images.list()).isEmpty();
        }
    }

    private Path dockerSave(byte[] layer) throws IOException {
        return dockerSave(layer, Digest.of(layer));
    }

    private Path dockerSave(byte[] layer, Digest diffId) throws IOException {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"evil:v1\"],\"Layers\":[\"layer.tar\"]}]"
                .getBytes(StandardCharsets.UTF_8);
        Path archive = dir.resolve("evil.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            for (var f : new Object[][] {{"manifest.json", manifest}, {"config.json", config}, {"layer.tar", layer}}) {
                TarArchiveEntry e = new TarArchiveEntry((String) f[0], TarConstants.LF_NORMAL);
                e.setSize(((byte[]) f[1]).length);
                out.putArchiveEntry(e);
                out.write((byte[]) f[1]);
                out.closeArchiveEntry();
            }
        }
        return archive;
    }
}
