package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.PodStatusChanged;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * `berth node stop|start` through `berth up`'s control endpoint: a stopped node's agent is gone but its
 * container keeps running; a started one adopts that same container; the stack still removes the
 * containers of a stopped node when it shuts down. (Replacing the pods of a node that stays away is
 * the controller's node lifecycle, tested with it.)
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class NodeStopStartTest {
    static final String NODE = "node-1";

    @TempDir Path home;

    @Test
    void aStoppedNodeKeepsItsContainerAndARestartedAgentAdoptsIt() throws Exception {
        LocalStack stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1));
        try (LocalControl control = LocalControl.start(stack)) {
            Path stateFile = stateFile(stack, control.port(), control.token());
            assertThat(new CommandClient(stack.bus()).send(new ApplyDeployment(Samples.deployment("web", 1)), Duration.ofSeconds(30)))
                    .isInstanceOf(CommandAccepted.class);
            PodStatusChanged started = awaitStatus(stack, Instant.EPOCH, s -> s.state() == ContainerState.Running);
            String pod = started.pod();
            long pid = pid(started);

            assertThat(NodeCommand.send(stateFile, NODE, "stop")).isZero();
            Instant stoppedAt = Instant.now();
            assertThat(stack.nodeRunning(NODE)).isFalse();
            assertThat(runc("state", pod)).contains("\"running\"").contains("\"pid\": " + pid);
            assertThatThrownBy(() -> NodeCommand.send(stateFile, NODE, "stop")).hasMessageContaining("already stopped");
            assertThatThrownBy(() -> NodeCommand.send(stateFile, "node-9", "start")).hasMessageContaining("no node 'node-9'");
            Thread.sleep(1500); // longer than a heartbeat interval, well inside the controller's grace period

            Instant restartAsked = Instant.now();
            assertThat(NodeCommand.send(stateFile, NODE, "start")).isZero();
            PodStatusChanged adopted = awaitStatus(stack, restartAsked, s -> s.state() == ContainerState.Running);
            assertThat(adopted.reason()).isEqualTo("Adopted");
            assertThat(pid(adopted)).as("the same container, not a new one").isEqualTo(pid);
            assertThat(runcList()).containsExactly(pod);
            assertThat(heartbeatTimes(stack)).as("no heartbeat while stopped")
                    .noneMatch(t -> t.isAfter(stoppedAt) && t.isBefore(restartAsked));
            await().atMost(Duration.ofSeconds(10)).until(() -> heartbeatTimes(stack).stream().anyMatch(t -> t.isAfter(restartAsked)));
            System.out.printf("node stop -> start: no heartbeats for %d ms; container pid %d adopted%n",
                    Duration.between(stoppedAt, restartAsked).toMillis(), pid);

            assertThat(NodeCommand.send(stateFile, NODE, "stop")).isZero();
            stack.close();
            assertThat(runcList()).as("stopping the stack removes a stopped node's containers too").isEmpty();
        } finally {
            stack.close();
        }
    }

    private Path stateFile(LocalStack stack, int controlPort, String token) throws IOException {
        Path file = StateFile.in(home);
        StateFile.ofThisProcess(stack.bus().bootstrapServers(), controlPort, token).write(file);
        return file;
    }

    private static PodStatusChanged awaitStatus(LocalStack stack, Instant since, java.util.function.Predicate<PodStatusChanged> match) {
        PodStatusChanged[] found = new PodStatusChanged[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (Envelope e : LogReader.readEnvelopes(stack.bus(), List.of(Topic.POD_STATUS))) {
                if (e.data() instanceof PodStatusChanged s && !e.time().isBefore(since) && match.test(s)) {
                    found[0] = s;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static List<Instant> heartbeatTimes(LocalStack stack) {
        List<Instant> times = new ArrayList<>();
        for (Envelope e : LogReader.readEnvelopes(stack.bus(), List.of(Topic.NODE_HEARTBEATS))) {
            if (e.data() instanceof NodeHeartbeat h && h.node().equals(NODE)) times.add(e.time());
        }
        return times;
    }

    private static long pid(PodStatusChanged running) {
        String m = running.message();
        return Long.parseLong(m.substring(m.lastIndexOf("pid ") + 4).trim());
    }

    private List<String> runcList() throws Exception {
        String out = runc("list", "-q").trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    private String runc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runc", "--root", home.resolve("nodes").resolve(NODE).resolve("runc").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
