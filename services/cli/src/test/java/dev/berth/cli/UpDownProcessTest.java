package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.node.NodeAgentOptions;
import dev.berth.node.NodeAgentVerticle;
import dev.berth.node.runtime.Cgroups;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth up} as users run it, a process of its own: stopped by SIGINT while it runs as a background
 * job (SIGINT inherited as ignored) with containers in the middle of terminating, stopped by
 * {@code berth down} while pods are still starting and while the stack itself is starting; a second
 * {@code berth up} on the same BERTH_HOME refuses. Each time no runc container and no cgroup is left.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class UpDownProcessTest {
    @TempDir Path home;
    @TempDir Path work;
    final String prefix = "updown" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
    final String node = prefix + "-1";
    final List<Process> started = new ArrayList<>();

    @AfterEach
    void leaveNothingBehind() throws Exception {
        for (Process p : started) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        NodeAgentVerticle.removeContainers(NodeAgentOptions.local(node, home.resolve("nodes").resolve(node), home.resolve("images")));
    }

    @Test
    void sigintStopsABackgroundBerthUpWithContainersTerminatingAndASecondUpIsRefused() throws Exception {
        // Containers that ignore TERM and have a minute to stop: scaled to 0, all three are Terminating for a minute.
        Path manifest = work.resolve("stubborn.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: stubborn}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: stubborn}}
                  template:
                    metadata: {labels: {app: stubborn}}
                    spec:
                      terminationGracePeriodSeconds: 60
                      containers:
                        - name: stubborn
                          image: busybox
                          command: ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
                          resources: {limits: {cpu: 100m, memory: 32Mi}}
                """);
        Path log = work.resolve("up.log");
        // A background job of a non-interactive shell: SIGINT ignored, inherited through exec by ./berth (which resets it for java).
        Process up = start(log, "bash", "-c", "trap '' INT; exec \"$@\"", "berth-up", Path.of("../../berth").toAbsolutePath().toString(),
                "up", "--port", "0", "--node-prefix", prefix, "-f", manifest.toString());
        awaitLog(log, "3/3 pods of stubborn Running", Duration.ofSeconds(150));
        assertThat(runcContainers()).hasSize(3);
        assertThat(Files.readString(UpLock.in(home)).trim()).isEqualTo(Long.toString(up.pid()));

        Path secondLog = work.resolve("second.log");
        // java directly, not ./berth, in a background job: it cannot take SIGINT back, so it says how to stop it instead.
        Process second = start(secondLog, "bash", "-c", "trap '' INT; exec \"$@\"", "second-up", java(), "-Xmx256m", "-cp", classpath(),
                Berth.class.getName(), "up", "--port", "0", "--node-prefix", prefix + "b");
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(Files.readString(secondLog))
                .contains("warning: SIGINT is ignored in this process (inherited, e.g. by a background job): Ctrl-C will not stop it;"
                        + " stop it with `berth down` or kill -TERM " + second.pid())
                .contains("another `berth up` (pid " + up.pid() + ") is running with BERTH_HOME=" + home);
        assertThat(up.isAlive()).isTrue();

        // berth up authenticates by default: a berth command of the same BERTH_HOME finds the user's client.properties (0600).
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ClientProperties.in(home)))).isEqualTo("rw-------");
        Path scaleLog = work.resolve("scale.log");
        Process scale = start(scaleLog, java(), "-Xmx256m", "-cp", classpath(), Berth.class.getName(), "scale", "deployment/stubborn", "--replicas", "0");
        assertThat(scale.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(scale.exitValue()).as(Files.readString(scaleLog)).isZero();
        Thread.sleep(2000); // the agent has sent TERM to all three, which ignore it
        assertThat(runcContainers()).as("terminating, not gone yet").hasSize(3);

        long t0 = System.nanoTime();
        new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start().waitFor();
        boolean exited = up.waitFor(120, TimeUnit.SECONDS);
        assertThat(exited).as("berth up stopped on SIGINT; its output:%n%s", Files.readString(log)).isTrue();
        System.out.printf("SIGINT -> berth up gone, 3 terminating containers removed: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(up.exitValue()).isEqualTo(130);
        assertNothingLeft(log);
    }

    @Test
    void berthDownStopsBerthUpWhilePodsAreStarting() throws Exception {
        Path log = work.resolve("up.log");
        Process up = start(log, java(), "-Xmx512m", "-cp", classpath(), Berth.class.getName(), "up", "--port", "0",
                "--node-prefix", prefix, "-f", Path.of("../../examples/busybox.yaml").toAbsolutePath().toString());
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(50)).until(() -> !runcContainers().isEmpty());

        Path downLog = work.resolve("down.log");
        Process down = start(downLog, java(), "-Xmx128m", "-cp", classpath(), Berth.class.getName(), "down");
        assertThat(down.waitFor(150, TimeUnit.SECONDS)).isTrue();
        assertThat(down.exitValue()).as(Files.readString(downLog)).isZero();
        assertThat(Files.readString(downLog)).contains("Stopping `berth up` (pid " + up.pid() + ")").contains("Berth stopped in");
        assertThat(up.isAlive()).isFalse();
        assertThat(up.exitValue()).as("exit code of SIGTERM").isEqualTo(143);
        assertNothingLeft(log);

        Process again = start(work.resolve("again.log"), java(), "-Xmx128m", "-cp", classpath(), Berth.class.getName(), "down");
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isEqualTo(1);
        assertThat(Files.readString(work.resolve("again.log"))).contains("no `berth up` is running with BERTH_HOME=" + home);
    }

    @Test
    void berthDownStopsBerthUpWhileTheStackIsStarting() throws Exception {
        Path log = work.resolve("up.log");
        Process up = start(log, java(), "-Xmx512m", "-cp", classpath(), Berth.class.getName(), "up", "--port", "0", "--node-prefix", prefix);
        awaitLog(log, "Starting Berth in", Duration.ofSeconds(60));

        Process down = start(work.resolve("down.log"), java(), "-Xmx128m", "-cp", classpath(), Berth.class.getName(), "down");
        assertThat(down.waitFor(150, TimeUnit.SECONDS)).isTrue();
        assertThat(down.exitValue()).as(Files.readString(work.resolve("down.log"))).isZero();
        assertThat(up.isAlive()).isFalse();
        assertNothingLeft(log);
    }

    private void assertNothingLeft(Path log) throws Exception {
        assertThat(Files.readString(log)).contains("Berth stopped.");
        assertThat(ClientProperties.in(home)).as("its password died with the broker").doesNotExist();
        assertThat(runcContainers()).as("runc containers left").isEmpty();
        assertThat(Cgroups.detect().exists("/berth/" + node)).as("cgroup /berth/%s left", node).isFalse();
        assertThat(StateFile.in(home)).as("state file removed by its writer").doesNotExist();
    }

    private List<String> runcContainers() throws IOException, InterruptedException {
        Path root = home.resolve("nodes").resolve(node).resolve("runc");
        return Files.isDirectory(root) ? LocalStack.runcContainers(root) : List.of();
    }

    private Process start(Path log, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("BERTH_HOME", home.toString());
        pb.environment().remove("BERTH_BOOTSTRAP");
        pb.environment().put("BERTH_CLASSPATH", classpath()); // ./berth runs these classes, no jar build
        pb.environment().put("BERTH_JAVA_OPTS", "-Xmx512m");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static void awaitLog(Path log, String text, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> Files.readString(log, StandardCharsets.UTF_8).contains(text));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Under surefire java.class.path is a manifest-only jar; the real path is in this property. */
    private static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).replace(File.pathSeparator + File.pathSeparator, File.pathSeparator);
    }
}
