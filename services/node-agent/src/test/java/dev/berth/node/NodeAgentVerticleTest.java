package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Envelope;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.node.core.RestartBackoff;
import dev.berth.node.runtime.Cgroups;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent on a real broker with real runc containers: restarts with back-off, restart
 * policies, OOM kills, and a restarted agent adopting what its predecessor left running. Placements
 * are sent the way the scheduler sends them (berth.placements, key = node); statuses are read back
 * from berth.pod-status.
 */
@EnabledIf("dev.berth.node.RealRunc#usable")
class NodeAgentVerticleTest {
    /** Fast back-off so a crash loop shows several restarts in seconds: 250 ms doubling to 2 s. */
    static final RestartBackoff FAST = new RestartBackoff(Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofMinutes(1));

    static TestBus bus;
    static Vertx vertx;
    @TempDir static Path images;
    @TempDir Path home;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final List<NodeAgentOptions> nodes = new ArrayList<>();
    final List<String> deployments = new ArrayList<>();

    @BeforeAll
    static void startBus() {
        bus = TestBus.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopBus() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    @AfterEach
    void stopAgents() throws Exception {
        for (String id : deployments) undeploy(id);
        for (NodeAgentOptions o : nodes) {
            NodeAgentVerticle.removeContainers(o); // whatever a failed test left
            assertThat(Cgroups.detect().exists(o.cgroupParent())).as("cgroup parent of %s left behind", o.nodeName()).isFalse();
        }
    }

    @Test
    void aCrashingContainerRestartsWithGrowingBackOff() throws Exception {
        NodeAgentOptions node = node("crash");
        start(node);
        String pod = "crash-" + run;
        place(node, pod, template("Always", 0, "echo started; exit 1"));

        await().atMost(Duration.ofSeconds(40)).until(() -> waitingCount(pod) >= 5);

        List<PodStatusChanged> waits = statuses(pod).stream().filter(s -> s.state() == ContainerState.Waiting).limit(5).toList();
        assertThat(waits).extracting(PodStatusChanged::restartCount).containsExactly(0, 1, 2, 3, 4);
        assertThat(waits).extracting(PodStatusChanged::message).containsExactly(
                "back-off 250ms restarting failed container (exit 1)",
                "back-off 500ms restarting failed container (exit 1)",
                "back-off 1s restarting failed container (exit 1)",
                "back-off 2s restarting failed container (exit 1)",
                "back-off 2s restarting failed container (exit 1)");
        assertThat(waits).allSatisfy(w -> {
            assertThat(w.reason()).isEqualTo("CrashLoopBackOff");
            assertThat(w.exitCode()).isEqualTo(1);
        });
        assertThat(statuses(pod).stream().filter(s -> s.state() == ContainerState.Exited).limit(5))
                .allSatisfy(e -> assertThat(e.reason()).isEqualTo("Error"));
        printRestartGaps(pod);

        release(node, pod);
        awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
        assertThat(runcList(node)).isEmpty();
    }

    @Test
    void neverAndOnFailureLeaveEndedContainersAlone() throws Exception {
        NodeAgentOptions node = node("policy");
        start(node);
        String failed = "never-" + run;
        String done = "onfailure-" + run;
        place(node, failed, template("Never", 0, "exit 1"));
        place(node, done, template("OnFailure", 0, "exit 0"));

        PodStatusChanged exited = awaitStatus(failed, s -> s.state() == ContainerState.Exited);
        PodStatusChanged completed = awaitStatus(done, s -> s.state() == ContainerState.Exited);
        assertThat(exited.exitCode()).isEqualTo(1);
        assertThat(exited.reason()).isEqualTo("Error");
        assertThat(completed.exitCode()).isZero();
        assertThat(completed.reason()).isEqualTo("Completed");

        Thread.sleep(2000); // eight times the first back-off: a restart would have happened by now
        for (String pod : List.of(failed, done)) {
            assertThat(statuses(pod)).as(pod).extracting(PodStatusChanged::state)
                    .containsExactly(ContainerState.Starting, ContainerState.Running, ContainerState.Exited);
        }
        assertThat(runcList(node)).as("ended containers are kept until released").containsExactlyInAnyOrder(failed, done);

        release(node, failed);
        release(node, done);
        awaitStatus(failed, s -> s.state() == ContainerState.Stopped);
        awaitStatus(done, s -> s.state() == ContainerState.Stopped);
        assertThat(runcList(node)).isEmpty();

        // The placement causes the first start, the release the stop; the exit is the container's own doing.
        Envelope placed = placement(failed, PodPlaced.class);
        Envelope released = placement(failed, PodReleased.class);
        Map<ContainerState, Envelope> byState = new java.util.EnumMap<>(ContainerState.class);
        for (Envelope e : bus.read(Topic.POD_STATUS)) {
            if (e.data() instanceof PodStatusChanged s && s.pod().equals(failed)) byState.put(s.state(), e);
        }
        assertThat(byState.get(ContainerState.Starting).causationId()).isEqualTo(placed.id());
        assertThat(byState.get(ContainerState.Running).causationId()).isEqualTo(placed.id());
        assertThat(byState.get(ContainerState.Running).correlationId()).isEqualTo(placed.correlationId() != null ? placed.correlationId() : placed.id());
        assertThat(byState.get(ContainerState.Exited).causationId()).isNull();
        assertThat(byState.get(ContainerState.Terminating).causationId()).isEqualTo(released.id());
        assertThat(byState.get(ContainerState.Stopped).causationId()).isEqualTo(released.id());
    }

    @Test
    void aContainerOverItsMemoryLimitIsOOMKilled() throws Exception {
        NodeAgentOptions node = node("oom");
        start(node);
        String hog = "hog-" + run;
        String loop = "hogloop-" + run;
        // Command substitution makes sh (PID 1) itself hold 64 MiB, past the 32 MiB limit.
        String allocate64Mi = "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived ${#x}";
        place(node, hog, template("Never", 32, allocate64Mi));
        place(node, loop, template("Always", 32, allocate64Mi));

        PodStatusChanged killed = awaitStatus(hog, s -> s.state() == ContainerState.Exited);
        System.out.println("OOM report: " + killed);
        assertThat(killed.reason()).isEqualTo("OOMKilled");
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(Files.readString(node.stateDir().resolve("logs").resolve(hog + ".log"))).doesNotContain("survived");

        PodStatusChanged backOff = awaitStatus(loop, s -> s.state() == ContainerState.Waiting);
        assertThat(backOff.message()).isEqualTo("back-off 250ms restarting failed container (OOMKilled, exit 137)");
        release(node, loop);
        awaitStatus(loop, s -> s.state() == ContainerState.Stopped);
    }

    @Test
    void aRestartedAgentAdoptsItsContainersAndStopsThoseReleasedMeanwhile() throws Exception {
        NodeAgentOptions node = node("adopt");
        NodeAgentVerticle first = new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.RUNC, PodNetworkSetup.NONE);
        String firstId = deploy(first);
        String keep = "keep-" + run;    // keeps running throughout; restarted once by the first agent
        String gone = "gone-" + run;    // released while no agent runs
        String early = "early-" + run;  // ends while no agent runs
        String late = "late-" + run;    // ends after the new agent took over
        place(node, keep, template("Always", 0, "sleep 3600"));
        place(node, gone, template("Always", 0, "sleep 3600"));
        place(node, early, template("Never", 0, "trap 'exit 3' TERM; while :; do sleep 0.05; done"));
        place(node, late, template("Never", 0, "trap 'exit 4' TERM; while :; do sleep 0.05; done"));
        for (String pod : List.of(keep, gone, early, late)) awaitStatus(pod, s -> s.state() == ContainerState.Running);
        runc(node, "kill", keep, "KILL");
        long keepPid = pid(awaitStatus(keep, s -> s.state() == ContainerState.Running && s.restartCount() == 1));

        first.keepContainersRunningOnStop();
        undeploy(firstId);
        deployments.remove(firstId);
        release(node, gone);
        runc(node, "kill", early, "TERM");
        await().atMost(Duration.ofSeconds(10)).until(() -> runc(node, "state", early).contains("\"stopped\""));
        assertThat(runcList(node)).as("the containers outlive their agent").containsExactlyInAnyOrder(keep, gone, early, late);

        Instant secondStarted = Instant.now();
        start(node);

        PodStatusChanged adopted = awaitStatus(keep, secondStarted, s -> s.state() == ContainerState.Running);
        assertThat(adopted.reason()).isEqualTo("Adopted");
        assertThat(adopted.restartCount()).as("restart count kept across agents").isEqualTo(1);
        assertThat(pid(adopted)).as("the same process, not a new container").isEqualTo(keepPid);
        assertThat(Path.of("/proc/" + keepPid)).exists();
        awaitStatus(gone, secondStarted, s -> s.state() == ContainerState.Stopped);
        PodStatusChanged endedWhileDown = awaitStatus(early, secondStarted, s -> s.state() == ContainerState.Exited);
        assertThat(endedWhileDown.exitCode()).isEqualTo(3);

        awaitStatus(late, secondStarted, s -> s.state() == ContainerState.Running && "Adopted".equals(s.reason()));
        runc(node, "kill", late, "TERM");
        assertThat(awaitStatus(late, secondStarted, s -> s.state() == ContainerState.Exited).exitCode()).isEqualTo(4);

        release(node, early);
        release(node, late);
        awaitStatus(early, secondStarted, s -> s.state() == ContainerState.Stopped);
        awaitStatus(late, secondStarted, s -> s.state() == ContainerState.Stopped);
        assertThat(runcList(node)).containsExactly(keep);
        assertThat(statuses(keep, secondStarted)).as("never started again")
                .noneMatch(s -> s.state() == ContainerState.Starting);
    }

    @Test
    void anExecReadinessProbeMakesThePodReadyAndThenNotReadyWhenItsFileGoes() throws Exception {
        NodeAgentOptions node = node("ready");
        start(node);
        String pod = "ready-" + run;
        var probe = new dev.berth.bus.contract.Probe(null, null, new dev.berth.bus.contract.Probe.Exec(List.of("test", "-e", "/tmp/ready")),
                0, 1, 1, 1, 1);
        PodTemplate t = template("Always", 0, "touch /tmp/ready; sleep 4; rm /tmp/ready; exec sleep 3600");
        place(node, pod, new PodTemplate(t.image(), t.command(), t.args(), t.env(), t.resources(), t.restartPolicy(), 1,
                null, null, null, null, null, probe, null, null));

        PodStatusChanged running = awaitStatus(pod, s -> s.state() == ContainerState.Running);
        assertThat(running.ready()).as("not ready before its first success").isFalse();
        PodStatusChanged ready = awaitStatus(pod, s -> Boolean.TRUE.equals(s.ready()));
        assertThat(ready.state()).isEqualTo(ContainerState.Running);
        // the same Running status again, with ready false: look after the ready one
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<PodStatusChanged> all = statuses(pod);
            List<PodStatusChanged> after = all.subList(all.indexOf(ready) + 1, all.size());
            return after.stream().anyMatch(s -> s.state() == ContainerState.Running && Boolean.FALSE.equals(s.ready()));
        });
        assertThat(statuses(pod)).as("readiness never restarts a container").extracting(PodStatusChanged::restartCount).containsOnly(0);

        release(node, pod);
        awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
        assertThat(runcList(node)).isEmpty();
    }

    @Test
    void aFailingLivenessProbeKillsTheContainerAndItsRestartPolicyRestartsIt() throws Exception {
        NodeAgentOptions node = node("alive");
        start(node);
        String pod = "alive-" + run;
        var exec = new dev.berth.bus.contract.Probe(null, null, new dev.berth.bus.contract.Probe.Exec(List.of("test", "-e", "/tmp/healthy")),
                0, 1, 1, 1, 2);
        // Healthy for 2 s, then its file goes; the process itself would sleep on (busybox sh as PID 1 ignores TERM: KILL after the grace).
        PodTemplate t = template("Always", 0, "touch /tmp/healthy; sleep 2; rm /tmp/healthy; exec sleep 3600");
        place(node, pod, new PodTemplate(t.image(), t.command(), t.args(), t.env(), t.resources(), t.restartPolicy(), 1,
                null, null, null, null, null, null, null, null).withHealthProbes(exec, null));

        PodStatusChanged exited = awaitStatus(pod, s -> s.state() == ContainerState.Exited);
        assertThat(exited.message()).startsWith("Liveness probe failed: ").contains("killed");
        assertThat(exited.restartCount()).isZero();
        PodStatusChanged restarted = awaitStatus(pod, s -> s.state() == ContainerState.Running && s.restartCount() == 1);
        assertThat(restarted.node()).isEqualTo(node.nodeName());
        assertThat(bus.payloads(Topic.POD_STATUS, dev.berth.bus.contract.PodUnhealthy.class)).filteredOn(u -> u.pod().equals(pod))
                .first().satisfies(u -> {
                    assertThat(u.probe()).isEqualTo("Liveness");
                    assertThat(u.message()).startsWith("Liveness probe failed: ");
                });

        release(node, pod);
        awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
        assertThat(runcList(node)).isEmpty();
    }

    @Test
    void aStartupProbeHoldsReadinessBackUntilItSucceeds() throws Exception {
        NodeAgentOptions node = node("startup");
        start(node);
        String pod = "startup-" + run;
        var started = new dev.berth.bus.contract.Probe(null, null, new dev.berth.bus.contract.Probe.Exec(List.of("test", "-e", "/tmp/started")),
                0, 1, 1, 1, 30);
        var ready = new dev.berth.bus.contract.Probe(null, null, new dev.berth.bus.contract.Probe.Exec(List.of("true")), 0, 1, 1, 1, 1);
        PodTemplate t = template("Always", 0, "sleep 3; touch /tmp/started; exec sleep 3600");
        place(node, pod, new PodTemplate(t.image(), t.command(), t.args(), t.env(), t.resources(), t.restartPolicy(), 1,
                null, null, null, null, null, ready, null, null).withHealthProbes(null, started));

        PodStatusChanged running = awaitStatus(pod, s -> s.state() == ContainerState.Running);
        PodStatusChanged readyStatus = awaitStatus(pod, s -> Boolean.TRUE.equals(s.ready()));
        List<PodStatusChanged> all = statuses(pod);
        Instant runningAt = envelopeTime(pod, running), readyAt = envelopeTime(pod, readyStatus);
        assertThat(Duration.between(runningAt, readyAt)).as("ready only after the startup probe passed (≥ 3 s)")
                .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        assertThat(all).extracting(PodStatusChanged::restartCount).containsOnly(0);

        release(node, pod);
        awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
        assertThat(runcList(node)).isEmpty();
    }

    @Test
    void workingDirAndSecurityContextReachTheProcessAndRunAsNonRootRefusesRoot() throws Exception {
        NodeAgentOptions node = node("secctx");
        start(node);
        String user = "user-" + run;
        String root = "root-" + run;
        PodTemplate t = template("Never", 0, "test \"$(pwd)\" = /tmp && test \"$(id -u):$(id -g)\" = 1000:2000");
        place(node, user, new PodTemplate(t.image(), t.command(), t.args(), t.env(), t.resources(), "Never", 1,
                null, null, null, null, null, null, "/tmp", new dev.berth.bus.contract.SecurityContext(1000L, 2000L, true)));
        PodTemplate r = template("Never", 0, "exit 0");
        place(node, root, new PodTemplate(r.image(), r.command(), r.args(), r.env(), r.resources(), "Never", 1,
                null, null, null, null, null, null, null, new dev.berth.bus.contract.SecurityContext(null, null, true)));

        PodStatusChanged exited = awaitStatus(user, s -> s.state() == ContainerState.Exited);
        assertThat(exited.exitCode()).as("ran in /tmp as 1000:2000").isZero();
        PodStatusChanged refused = awaitStatus(root, s -> s.state() == ContainerState.Failed);
        assertThat(refused.reason()).isEqualTo("CreateContainerConfigError");
        assertThat(refused.message()).isEqualTo("container has runAsNonRoot and image will run as root (pod: \"" + root + "\", container: " + root + ")");
        assertThat(runcList(node)).doesNotContain(root);

        release(node, user);
        release(node, root);
        awaitStatus(user, s -> s.state() == ContainerState.Stopped);
        awaitStatus(root, s -> s.state() == ContainerState.Stopped);
        assertThat(runcList(node)).isEmpty();
    }

    // --- helpers ---

    private NodeAgentOptions node(String name) {
        // No full status re-report during a test: the tests compare exact status sequences.
        NodeAgentOptions o = NodeAgentOptions.local(name + "-" + run, home.resolve(name), images).withRestartBackoff(FAST)
                .withStatusReportInterval(Duration.ofHours(1));
        nodes.add(o);
        return o;
    }

    private void start(NodeAgentOptions node) throws Exception {
        deploy(new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.RUNC, PodNetworkSetup.NONE));
    }

    private String deploy(NodeAgentVerticle agent) throws Exception {
        String id = TestBus.await(vertx.deployVerticle(agent));
        deployments.add(id);
        return id;
    }

    private static void undeploy(String id) throws Exception {
        TestBus.await(vertx.undeploy(id));
    }

    private static PodTemplate template(String restartPolicy, long memoryMi, String script) {
        return new PodTemplate("busybox", List.of("sh", "-c"), List.of(script), Map.of(),
                new Resources(250, memoryMi << 20), restartPolicy, 1);
    }

    private static void place(NodeAgentOptions node, String pod, PodTemplate t) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced(pod, node.nodeName(), "test", t, 1, Map.of(), List.of()));
    }

    private static void release(NodeAgentOptions node, String pod) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodReleased(pod, node.nodeName(), "test"));
    }

    private static Envelope placement(String pod, Class<?> type) {
        return bus.read(Topic.PLACEMENTS).stream().filter(e -> type.isInstance(e.data())
                && pod.equals(e.data() instanceof PodPlaced p ? p.pod() : ((PodReleased) e.data()).pod())).findFirst().orElseThrow();
    }

    private static List<PodStatusChanged> statuses(String pod) {
        return statuses(pod, Instant.EPOCH);
    }

    /** The pod's statuses published at or after {@code since}, in order. */
    private static List<PodStatusChanged> statuses(String pod, Instant since) {
        List<PodStatusChanged> out = new ArrayList<>();
        for (Envelope e : bus.read(Topic.POD_STATUS)) {
            if (e.data() instanceof PodStatusChanged s && s.pod().equals(pod) && !e.time().isBefore(since)) out.add(s);
        }
        return out;
    }

    /** When the node published {@code status} (its first envelope carrying it). */
    private static Instant envelopeTime(String pod, PodStatusChanged status) {
        for (Envelope e : bus.read(Topic.POD_STATUS)) if (status.equals(e.data())) return e.time();
        throw new AssertionError("no envelope for " + status);
    }

    private static PodStatusChanged awaitStatus(String pod, Predicate<PodStatusChanged> match) {
        return awaitStatus(pod, Instant.EPOCH, match);
    }

    private static PodStatusChanged awaitStatus(String pod, Instant since, Predicate<PodStatusChanged> match) {
        PodStatusChanged[] found = new PodStatusChanged[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            found[0] = statuses(pod, since).stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    private static long waitingCount(String pod) {
        return statuses(pod).stream().filter(s -> s.state() == ContainerState.Waiting).count();
    }

    private static long pid(PodStatusChanged running) {
        String m = running.message();
        return Long.parseLong(m.substring(m.lastIndexOf("pid ") + 4).trim());
    }

    /** Prints, never asserts: the time from each exit to the next Running, next to the back-off asked for. */
    private static void printRestartGaps(String pod) {
        List<Envelope> envs = bus.read(Topic.POD_STATUS).stream()
                .filter(e -> e.data() instanceof PodStatusChanged s && s.pod().equals(pod)).toList();
        Instant exitedAt = null;
        StringBuilder line = new StringBuilder("crash loop, exit -> next Running (ms):");
        for (Envelope e : envs) {
            PodStatusChanged s = (PodStatusChanged) e.data();
            if (s.state() == ContainerState.Exited) exitedAt = e.time();
            if (s.state() == ContainerState.Running && exitedAt != null) {
                line.append(' ').append(Duration.between(exitedAt, e.time()).toMillis()).append(" (restart ").append(s.restartCount()).append(')');
                exitedAt = null;
            }
        }
        System.out.println(line);
    }

    private static List<String> runcList(NodeAgentOptions node) {
        String out = runc(node, "list", "-q").trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    private static String runc(NodeAgentOptions node, String... args) {
        List<String> cmd = new ArrayList<>(List.of("runc", "--root", node.stateDir().resolve("runc").toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
