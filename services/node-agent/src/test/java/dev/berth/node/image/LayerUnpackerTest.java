package dev.berth.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and odd layer tars, written with Commons Compress (no tool makes hostile tars on purpose).
 * Runs as root: ownership and whiteout devices need it.
 */
class LayerUnpackerTest {

    @TempDir
    Path dir;

    static final Instant T = Instant.parse("2020-01-02T03:04:05Z");

    /** A tiny tar builder. */
    static final class Tar {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final TarArchiveOutputStream out;

        Tar() {
            out = new TarArchiveOutputStream(bytes);
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar dir(String name, int mode) throws IOException {
            return entry(name + "/", TarConstants.LF_DIR, null, mode, 0, 0, null);
        }

        Tar file(String name, String content) throws IOException {
            return entry(name, TarConstants.LF_NORMAL, content, 0644, 0, 0, null);
        }

        Tar entry(String name, byte type, String content, int mode, int uid, int gid, String link) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true); // keep absolute names: hostile input
            e.setMode(mode);
            e.setIds(uid, gid);
            e.setModTime(FileTime.from(T));
            if (link != null) e.setLinkName(link);
            byte[] data = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
            if (type == TarConstants.LF_NORMAL) e.setSize(data.length);
            out.putArchiveEntry(e);
            if (type == TarConstants.LF_NORMAL) out.write(data);
            out.closeArchiveEntry();
            return this;
        }

        Tar symlink(String name, String target) throws IOException {
            return entry(name, TarConstants.LF_SYMLINK, null, 0777, 0, 0, target);
        }

        Tar hardlink(String name, String target) throws IOException {
            return entry(name, TarConstants.LF_LINK, null, 0644, 0, 0, target);
        }

        byte[] bytes() throws IOException {
            out.finish();
            out.close();
            return bytes.toByteArray();
        }
    }

    static byte[] gzip(byte[] tar) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(b)) {
            gz.write(tar);
        }
        return b.toByteArray();
    }

    LayerUnpacker.Result unpack(byte[] layer) throws IOException {
        Path dest = Files.createDirectories(dir.resolve("layer"));
        return LayerUnpacker.unpack(new ByteArrayInputStream(layer), dest);
    }

    Path layer() {
        return dir.resolve("layer");
    }

    @Test
    void keepsModesOwnershipTimesAndLinks() throws IOException {
        assumeTrue(ImageTools.root(), "ownership needs root");
        byte[] tar = new Tar().dir("usr", 0755).dir("usr/bin", 0755)
                .entry("usr/bin/tool", TarConstants.LF_NORMAL, "#!/bin/sh\n", 04755, 0, 0, null)
                .entry("home/app/notes", TarConstants.LF_NORMAL, "mine", 0600, 1000, 1001, null)
                .symlink("bin", "usr/bin")
                .entry("link-owned", TarConstants.LF_SYMLINK, null, 0777, 7, 8, "/etc/passwd")
                .hardlink("usr/bin/tool-again", "usr/bin/tool")
                .entry("dev/null", TarConstants.LF_CHR, null, 0666, 0, 0, null)
                .entry("fifo", TarConstants.LF_FIFO, null, 0644, 0, 0, null)
                .bytes();
        LayerUnpacker.Result r = unpack(gzip(tar));
        assertThat(r.diffId()).isEqualTo(Digest.of(tar)); // the diffID is the uncompressed tar's digest
        assertThat(r.skipped()).isEqualTo(2);
        Path l = layer();
        assertThat((Integer) Files.getAttribute(l.resolve("usr/bin/tool"), "unix:mode") & 07777).isEqualTo(04755);
        assertThat(Files.getAttribute(l.resolve("home/app/notes"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(l.resolve("home/app/notes"), "unix:gid")).isEqualTo(1001);
        assertThat((Integer) Files.getAttribute(l.resolve("home/app/notes"), "unix:mode") & 0777).isEqualTo(0600);
        assertThat(Files.getLastModifiedTime(l.resolve("usr/bin/tool")).toInstant()).isEqualTo(T);
        assertThat(Files.getLastModifiedTime(l.resolve("usr/bin")).toInstant()).isEqualTo(T); // set after its children
        assertThat(Files.readSymbolicLink(l.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
        assertThat(Files.getAttribute(l.resolve("link-owned"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(7);
        assertThat(Files.getAttribute(l.resolve("usr/bin/tool-again"), "unix:ino"))
                .isEqualTo(Files.getAttribute(l.resolve("usr/bin/tool"), "unix:ino"));
        assertThat(l.resolve("dev/null")).doesNotExist();
        assertThat(l.resolve("fifo")).doesNotExist();
    }

    @Test
    void whiteoutsBecomeOverlayDevicesAndOpaqueMarkersAnXattr() throws IOException {
        assumeTrue(ImageTools.root(), "whiteout devices need root");
        unpack(new Tar().dir("etc", 0755).file("etc/.wh.motd", "").dir("var/cache", 0755)
                .file("var/cache/.wh..wh..opq", "").file("var/cache/fresh", "x").bytes());
        Path whiteout = layer().resolve("etc/motd");
        var a = LayerUnpacker.attrs(whiteout);
        assertThat(a.isOther()).isTrue();
        assertThat(LayerUnpacker.isWhiteout(whiteout, a)).isTrue();
        assertThat(layer().resolve("etc/.wh.motd")).doesNotExist();
        assertThat(LayerUnpacker.isOpaque(layer().resolve("var/cache"))).isTrue();
        assertThat(LayerUnpacker.isOpaque(layer().resolve("etc"))).isFalse();
        assertThat(layer().resolve("var/cache/.wh..wh..opq")).doesNotExist();
        assertThat(layer().resolve("var/cache/fresh")).hasContent("x");
    }

    @Test
    void laterEntriesReplaceEarlierOnesWithoutFollowingThem() throws IOException {
        Path outside = Files.writeString(dir.resolve("outside"), "precious");
        unpack(new Tar().symlink("f", outside.toString()).file("f", "replaced").bytes());
        assertThat(outside).hasContent("precious"); // the symlink was removed, not written through
        assertThat(Files.isSymbolicLink(layer().resolve("f"))).isFalse();
        assertThat(layer().resolve("f")).hasContent("replaced");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../escape", "/etc/passwd", "./../escape", "a/b/../../../escape"})
    void refusesNamesOutsideTheLayer(String name) throws IOException {
        byte[] tar = new Tar().file(name, "evil").bytes();
        assertThatThrownBy(() -> unpack(tar)).isInstanceOf(LayerUnpacker.LayerException.class).hasMessageContaining("refused");
        assertThat(dir.resolve("escape")).doesNotExist();
    }

    @Test
    void refusesWritingThroughASymlinkedParent() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        for (String target : new String[] {outside.toString(), "../outside", "."}) {
            Path dest = Files.createDirectories(dir.resolve("l" + Math.abs(target.hashCode())));
            byte[] tar = new Tar().symlink("evil", target).file("evil/planted", "x").bytes();
            assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(tar), dest))
                    .hasMessageContaining("is a symbolic link");
        }
        assertThat(outside.resolve("planted")).doesNotExist();
        // ... also for a whiteout or an opaque marker under a symlinked directory
        byte[] whiteout = new Tar().symlink("evil", outside.toString()).file("evil/.wh.x", "").bytes();
        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(whiteout), Files.createDirectories(dir.resolve("w"))))
                .hasMessageContaining("is a symbolic link");
        byte[] opaque = new Tar().symlink("evil", outside.toString()).file("evil/.wh..wh..opq", "").bytes();
        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(opaque), Files.createDirectories(dir.resolve("o"))))
                .hasMessageContaining("is a symbolic link");
    }

    @Test
    void refusesHardLinksOutsideTheLayer() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "s");
        for (String target : new String[] {secret.toString(), "../secret", "missing/file", "missing"}) {
            Path dest = Files.createDirectories(dir.resolve("h" + Math.abs(target.hashCode())));
            byte[] tar = new Tar().hardlink("stolen", target).bytes();
            assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(tar), dest))
                    .isInstanceOf(LayerUnpacker.LayerException.class);
            assertThat(dest.resolve("stolen")).doesNotExist();
        }
        // through a symlinked directory of the layer
        Files.createDirectories(dir.resolve("d"));
        Files.writeString(dir.resolve("d/secret"), "s");
        Path dest = Files.createDirectories(dir.resolve("hl"));
        byte[] tar = new Tar().symlink("up", "..").hardlink("stolen", "up/d/secret").bytes();
        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(tar), dest)).hasMessageContaining("symbolic link");
    }

    @Test
    void refusesBadWhiteoutsAndZstd() throws IOException {
        assertThatThrownBy(() -> unpack(new Tar().file(".wh...", "").bytes())).hasMessageContaining("bad whiteout");
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(zstd), Files.createDirectories(dir.resolve("z"))))
                .hasMessageContaining("zstd");
    }

    @Test
    void aFileWhereADirectoryIsNeededIsRefused() throws IOException {
        assertThatThrownBy(() -> unpack(new Tar().file("a", "x").file("a/b", "y").bytes())).hasMessageContaining("not a directory");
    }

    @Test
    void aDirectoryReplacesAFileAndKeepsAnExistingDirectory() throws IOException {
        unpack(new Tar().file("a", "x").dir("a", 0700).file("a/b", "y").dir("a", 0755).bytes());
        assertThat(layer().resolve("a/b")).hasContent("y");
        assertThat((Integer) Files.getAttribute(layer().resolve("a"), "unix:mode") & 0777).isEqualTo(0755);
    }

    @Test
    void emptyAndDotEntriesAreTheLayerRoot() throws IOException {
        LayerUnpacker.Result r = unpack(new Tar().dir(".", 0755).file("./x", "1").file(".//y", "2").bytes());
        assertThat(r.entries()).isEqualTo(3);
        assertThat(layer().resolve("x")).hasContent("1");
        assertThat(layer().resolve("y")).hasContent("2");
    }

}
