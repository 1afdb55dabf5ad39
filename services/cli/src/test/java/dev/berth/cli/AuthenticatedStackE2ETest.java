package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * `berth up` with authentication on (its default): every service on its own SCRAM principal, limited by the
 * ACLs the catalogue derives, still runs a deployment's pod; the user's client.properties (0600) drives kcat,
 * which may write berth.commands but not berth.placements.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class AuthenticatedStackE2ETest {
    @TempDir Path home;

    @Test
    void servicesOnTheirOwnPrincipalsRunAPodAndTheUserMayWriteCommandsButNotPlacements() throws Exception {
        LocalStack stack = new LocalStack(new LocalStack.Settings(null, 0, home, 1)).authenticated(true);
        try {
            stack.start();
            assertThat(stack.bus().authenticated()).isTrue();
            Path clientFile = ClientProperties.in(home);
            ClientProperties.write(clientFile, stack.bus());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clientFile))).isEqualTo("rw-------");

            // The CLI's way: BERTH_HOME's client.properties as the user.
            BusConfig user = new BusConfig(stack.bus().bootstrapServers(), BusConfig.load(clientFile));
            var manifest = DeploymentManifest.parse(Files.readString(Path.of("../../examples/busybox.yaml")));
            assertThat(new CommandClient(user).send(new ApplyDeployment(manifest.deployment()), Duration.ofSeconds(30)))
                    .isInstanceOf(CommandAccepted.class);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                    GetCommand.load(user, Instant.now()).pods().stream().filter(p -> "Running".equals(p.phase())).count()
                            == manifest.deployment().replicas());

            Kcat commands = kcat(clientFile, "-P", "-t", Topic.COMMANDS.topicName(), "-k", "kcat");
            assertThat(commands.exit).as(commands.output).isZero();
            Kcat placements = kcat(clientFile, "-P", "-t", Topic.PLACEMENTS.topicName(), "-k", "kcat");
            assertThat(placements.output).containsIgnoringCase("Topic authorization failed");
            Kcat read = kcat(clientFile, "-C", "-t", Topic.COMMANDS.topicName(), "-e", "-f", "%k\\n");
            assertThat(read.output).as("the user reads back what it wrote").contains("kcat");
            System.out.println("kcat -F client.properties: berth.commands ok; berth.placements: " + placements.output.strip());
        } finally {
            stack.close();
        }
    }

    record Kcat(int exit, String output) {}

    private static Kcat kcat(Path clientFile, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("kcat", "-F", clientFile.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write("{\"probe\":true}\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kcat " + args[0] + " did not finish in 30 s");
        }
        return new Kcat(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
