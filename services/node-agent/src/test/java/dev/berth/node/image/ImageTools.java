package dev.berth.node.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Third-party tools that make the image tests' fixtures: Debian's umoci (builds OCI layouts from
 * directories), skopeo (converts and pushes), docker-registry (the reference registry) and htpasswd.
 */
public final class ImageTools {

    private ImageTools() {}

    public static boolean root() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }

    /** Root, the tools, and a static busybox to put in images. */
    public static boolean usable() {
        return root() && onPath("umoci") && onPath("skopeo") && onPath("docker-registry") && onPath("htpasswd")
                && onPath("tar") && Files.isExecutable(Path.of("/bin/busybox"));
    }

    public static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Builds {@code layout:name} with umoci: layer 1 = busybox + /etc/passwd and /etc/group (user app
     * 1000, group extra 2000 with app as member) + /data files, layer 2 = /data/gone.txt removed (a
     * whiteout) and /data/keep/c added, layer 3 = an opaque /data/opq (GNU tar, added verbatim), then
     * a config with User app, Entrypoint [/bin/sh -c], Cmd [echo hello], Env, WorkingDir /data.
     */
    public static void buildAppImage(Path work, Path layout, String name) throws IOException, InterruptedException {
        init(work, layout);
        run(work, "umoci", "new", "--image", layout + ":" + name);
        Path bundle = work.resolve("bundle-" + name);
        run(work, "umoci", "unpack", "--image", layout + ":" + name, bundle.toString());
        Path r = bundle.resolve("rootfs");
        busybox(r);
        Files.writeString(r.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/data:/bin/sh\n");
        Files.writeString(r.resolve("etc/group"), "root:x:0:\napp:x:1000:\nextra:x:2000:app\n");
        Files.createDirectories(r.resolve("data/keep"));
        Files.createDirectories(r.resolve("data/opq"));
        Files.writeString(r.resolve("data/keep/a"), "keep\n");
        Files.writeString(r.resolve("data/opq/old1"), "old\n");
        Files.writeString(r.resolve("data/gone.txt"), "gone\n");
        run(work, "umoci", "repack", "--refresh-bundle", "--image", layout + ":" + name, bundle.toString());
        Files.delete(r.resolve("data/gone.txt"));
        Files.writeString(r.resolve("data/keep/c"), "c\n");
        run(work, "umoci", "repack", "--refresh-bundle", "--image", layout + ":" + name, bundle.toString());
        Path stage = work.resolve("stage-" + name);
        Files.createDirectories(stage.resolve("data/opq"));
        Files.writeString(stage.resolve("data/opq/.wh..wh..opq"), "");
        Files.writeString(stage.resolve("data/opq/new.txt"), "new\n");
        Path opq = work.resolve("opq-" + name + ".tar");
        run(work, "tar", "-C", stage.toString(), "-cf", opq.toString(), "data");
        run(work, "umoci", "raw", "add-layer", "--image", layout + ":" + name, opq.toString());
        run(work, "umoci", "config", "--image", layout + ":" + name, "--config.user", "app",
                "--config.entrypoint", "/bin/sh", "--config.entrypoint", "-c", "--config.cmd", "echo hello",
                "--config.env", "GREETING=hi", "--config.workingdir", "/data");
    }

    /** A one-layer-over-busybox image whose top layer holds {@code files} random files of {@code bytes} each. */
    public static void buildFilesImage(Path work, Path layout, String name, int files, int bytes, long seed)
            throws IOException, InterruptedException {
        init(work, layout);
        run(work, "umoci", "new", "--image", layout + ":" + name);
        Path bundle = work.resolve("bundle-" + name);
        run(work, "umoci", "unpack", "--image", layout + ":" + name, bundle.toString());
        Path r = bundle.resolve("rootfs");
        busybox(r);
        run(work, "umoci", "repack", "--refresh-bundle", "--image", layout + ":" + name, bundle.toString());
        java.util.Random random = new java.util.Random(seed);
        byte[] buf = new byte[bytes];
        for (int i = 0; i < files; i++) {
            Path f = r.resolve("files/d" + (i % 64) + "/f" + i);
            Files.createDirectories(f.getParent());
            random.nextBytes(buf);
            // half random, half text: compresses like real software does, roughly 2:1
            for (int j = bytes / 2; j < bytes; j++) buf[j] = (byte) ('a' + (j % 26));
            Files.write(f, buf);
        }
        run(work, "umoci", "repack", "--refresh-bundle", "--image", layout + ":" + name, bundle.toString());
        run(work, "umoci", "config", "--image", layout + ":" + name, "--config.cmd", "/bin/sh");
    }

    private static void init(Path work, Path layout) throws IOException, InterruptedException {
        if (!Files.exists(layout.resolve("oci-layout"))) run(work, "umoci", "init", "--layout", layout.toString());
    }

    private static void busybox(Path r) throws IOException {
        Files.createDirectories(r.resolve("bin"));
        Files.createDirectories(r.resolve("etc"));
        Files.createDirectories(r.resolve("tmp"));
        Files.copy(Path.of("/bin/busybox"), r.resolve("bin/busybox"));
        for (String a : List.of("sh", "cat", "ls", "id", "echo", "env", "pwd", "test", "touch", "rm")) {
            Files.createSymbolicLink(r.resolve("bin/" + a), Path.of("busybox"));
        }
    }

    public static void skopeo(Path work, String from, String to) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
        if (to.startsWith("docker://")) cmd.add("--dest-tls-verify=false");
        if (from.startsWith("docker://")) cmd.add("--src-tls-verify=false");
        cmd.add(from);
        cmd.add(to);
        run(work, cmd.toArray(String[]::new));
    }

    /** {@code docker-registry serve} on 127.0.0.1:<free port>, optionally behind htpasswd auth; closed by the test. */
    public static final class Registry implements AutoCloseable {
        final Path storage;
        final int port;
        private final Process process;
        private final Path logFile;

        public Registry(Path dir, String user, String password) throws IOException, InterruptedException {
            this(dir, user, password, freePort());
        }

        Registry(Path dir, String user, String password, int port) throws IOException, InterruptedException {
            this(dir, htpasswd(dir, user, password), port);
        }

        /** With an {@code auth:} block of the registry's config, e.g. token auth. */
        Registry(Path dir, String auth) throws IOException, InterruptedException {
            this(dir, auth, freePort());
        }

        private static String htpasswd(Path dir, String user, String password) throws IOException, InterruptedException {
            if (user == null) return "";
            Path htpasswd = dir.resolve("htpasswd");
            Files.writeString(htpasswd, run(dir, "htpasswd", "-Bbn", user, password));
            return "auth:\n  htpasswd:\n    realm: berth-test\n    path: " + htpasswd + "\n";
        }

        private Registry(Path dir, String auth, int port) throws IOException, InterruptedException {
            this.storage = Files.createDirectories(dir.resolve("storage"));
            this.port = port;
            Path config = dir.resolve("registry.yml");
            Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                    + storage + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port + "\n" + auth);
            this.logFile = dir.resolve("registry.log");
            this.process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try {
                    int s = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (s == 200 || s == 401) break;
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IOException("docker-registry did not start: " + Files.readString(logFile));
                }
                Thread.sleep(50);
            }
        }

        public String host() {
            return "127.0.0.1:" + port;
        }

        /** The registry's file for a blob, to tamper with. */
        Path blobData(Digest d) {
            return storage.resolve("docker/registry/v2/blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data");
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public static void deleteTree(Path p) throws IOException {
        if (p != null && Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) LayerUnpacker.removeExisting(p);
    }
}
