package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * `berth image load -i` of a `docker save` archive made by umoci + skopeo, then a deployment of it
 * runs on the local stack with the image's Entrypoint, Cmd and Env; `berth image ls` shows it from the
 * node's heartbeats; `rm` refuses an image in use; `prune` keeps it and removes it once unused.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class ImageLoadE2ETest {
    @TempDir Path home;

    @Test
    void aDockerSaveArchiveLoadedIntoTheLocalNodesRuns() throws Exception {
        assumeTrue(onPath("umoci") && onPath("skopeo"), "needs umoci and skopeo");
        Path archive = dockerSaveArchive(home.resolve("work"));
        LocalStack stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1));
        try (LocalControl control = LocalControl.start(stack)) {
            Path stateFile = stateFile(stack, control.port(), control.token());
            String loaded = output(() -> NodeCommand.post(stateFile, "/images/load", archive.toString()));
            assertThat(loaded).isEqualTo("node-1: loaded docker.io/loaded/app:v1\n");

            PodTemplate t = new PodTemplate("loaded/app:v1", List.of(), List.of(), Map.of(), new Resources(250, 64L << 20), "Always", 1);
            assertThat(new CommandClient(stack.bus()).send(new ApplyDeployment(new DeploymentSpec("app", 1, t)), Duration.ofSeconds(30)))
                    .isInstanceOf(CommandAccepted.class);
            PodStatusChanged running = awaitStatus(stack, s -> s.state() == ContainerState.Running);
            assertThat(running.imageID()).startsWith("docker.io/loaded/app@sha256:");
            Path log = home.resolve("nodes/node-1/logs").resolve(running.pod() + ".log");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readString(log).contains("from-image"));
            assertThat(Files.readString(log)).contains("from-image loaded-env");

            await().atMost(Duration.ofSeconds(10)).until(() -> ImageCommand.table(GetCommand.load(stack.bus(), Instant.now()))
                    .contains("docker.io/loaded/app:v1"));
            String ls = ImageCommand.table(GetCommand.load(stack.bus(), Instant.now()));
            System.out.print(ls);
            assertThat(ls).containsPattern("node-1 +docker.io/loaded/app:v1 +sha256:[0-9a-f]{64} +[0-9.]+[kM]B")
                    .contains("docker.io/library/busybox:latest");

            assertThat(output(() -> NodeCommand.post(stateFile, "/images/rm", "loaded/app:v1")))
                    .contains("node-1: error: image docker.io/loaded/app:v1 is in use by a container");
            String pruned = output(() -> NodeCommand.post(stateFile, "/images/prune", ""));
            assertThat(pruned).contains("deleted docker.io/library/busybox:latest").doesNotContain("loaded/app");

            assertThat(new CommandClient(stack.bus()).send(new DeleteDeployment("app"), Duration.ofSeconds(30)))
                    .isInstanceOf(CommandAccepted.class);
            awaitStatus(stack, s -> s.state() == ContainerState.Stopped);
            assertThat(output(() -> NodeCommand.post(stateFile, "/images/rm", "loaded/app:v1")))
                    .isEqualTo("node-1: untagged docker.io/loaded/app:v1\n");
            assertThatThrownBy(() -> NodeCommand.post(stateFile, "/images/load", "relative.tar")).hasMessageContaining("not an absolute path");
        } finally {
            stack.close();
        }
    }

    /** A busybox image with Entrypoint [/bin/sh -c], Cmd [echo from-image $X; sleep 60], Env X=loaded-env. */
    private static Path dockerSaveArchive(Path work) throws Exception {
        Files.createDirectories(work);
        Path layout = work.resolve("layout");
        run(work, "umoci", "init", "--layout", layout.toString());
        run(work, "umoci", "new", "--image", layout + ":app");
        Path bundle = work.resolve("bundle");
        run(work, "umoci", "unpack", "--image", layout + ":app", bundle.toString());
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String a : List.of("sh", "echo", "sleep")) Files.createSymbolicLink(bin.resolve(a), Path.of("busybox"));
        run(work, "umoci", "repack", "--image", layout + ":app", bundle.toString());
        run(work, "umoci", "config", "--image", layout + ":app", "--config.entrypoint", "/bin/sh", "--config.entrypoint", "-c",
                "--config.cmd", "echo from-image $X; sleep 60", "--config.env", "X=loaded-env");
        Path archive = work.resolve("app.tar");
        run(work, "skopeo", "copy", "--quiet", "oci:" + layout + ":app", "docker-archive:" + archive + ":loaded/app:v1");
        return archive;
    }

    private interface Call {
        int call() throws Exception;
    }

    private static String output(Call c) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(c.call()).isZero();
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static PodStatusChanged awaitStatus(LocalStack stack, java.util.function.Predicate<PodStatusChanged> match) {
        PodStatusChanged[] found = new PodStatusChanged[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (Envelope e : LogReader.readEnvelopes(stack.bus(), List.of(Topic.POD_STATUS))) {
                if (e.data() instanceof PodStatusChanged s && match.test(s)) {
                    found[0] = s;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private Path stateFile(LocalStack stack, int controlPort, String token) throws Exception {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", stack.bus().bootstrapServers());
        p.setProperty("control.port", Integer.toString(controlPort));
        p.setProperty("control.token", token);
        Path file = home.resolve("cluster.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        return file;
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }

    private static void run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
}
