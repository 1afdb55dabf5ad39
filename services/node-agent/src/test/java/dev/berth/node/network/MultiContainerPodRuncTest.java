package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Envelope;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.ContainerLogs;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.ContainerStatus;
import dev.berth.bus.contract.LogLine;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Probe;
import dev.berth.bus.contract.ResourceRequirements;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.node.NodeAgentOptions;
import dev.berth.node.NodeAgentVerticle;
import dev.berth.node.PodNetworkSetup;
import dev.berth.node.RealRunc;
import dev.berth.node.core.RestartBackoff;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod of two containers and an init container, end to end as root: real runc, the real CNI plugins, a real
 * broker. The init container runs to completion first (its last line is older than the app containers' first);
 * then busybox httpd and a sidecar that fetches from it over 127.0.0.1 share the pod's one network; the pod is
 * Ready, 2/2, once both run and httpd passes its readiness probe; each container's log is its own; the sidecar
 * restarts alone when it exits; a restarted agent adopts all three containers and runs the init container no
 * more; after the pod is deleted nothing of it is left.
 */
@EnabledIf("usable")
class MultiContainerPodRuncTest {
    static boolean usable() { return RealRunc.usable() && RealCni.usable(); }

    static final RestartBackoff FAST = new RestartBackoff(Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofMinutes(1));

    static TestBus bus;
    static Vertx vertx;
    @TempDir Path home;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final int octet = 2 * (1 + ThreadLocalRandom.current().nextInt(120));
    final List<NodeAgentOptions> nodes = new ArrayList<>();
    final List<String> deployments = new ArrayList<>();
    final List<NodeAgentVerticle> agents = new ArrayList<>();
    boolean forwarding;

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
    void leaveNothing() throws Exception {
        for (String id : deployments) TestBus.await(vertx.undeploy(id));
        for (NodeAgentOptions o : nodes) {
            NodeAgentVerticle.removeContainers(o);
            NodeAgentVerticle.removeNetworks(o, PodNetworkSetup.CNI_GENERATED);
        }
        PortmapChains.removeIfUnused();
        IpForwarding.set(forwarding);
    }

    /** The host's uptime (10 ms steps; busybox's date has no %N): the same clock in every container. */
    static final String STAMP = "$(cut -d' ' -f1 /proc/uptime)";

    static PodTemplate pod() {
        Container setup = Container.of("setup", "busybox", List.of("sh", "-c"))
                .withArgs(List.of("sleep 1; echo init-done " + STAMP + "; sleep 0.3"));
        Container web = Container.of("web", "busybox", List.of("sh", "-c"))
                .withArgs(List.of("echo web-start " + STAMP + "; mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html"
                        + " && exec httpd -f -p 8080 -h /tmp/www"))
                .withReadinessProbe(Probe.http("/", 8080, 1, 3))
                .withResources(ResourceRequirements.of(new Resources(200, 32L << 20)));
        Container side = Container.of("side", "busybox", List.of("sh", "-c"))
                .withArgs(List.of("echo side-start " + STAMP + "; for i in 1 2 3 4 5 6 7 8; do wget -q -O - http://127.0.0.1:8080/;"
                        + " sleep 1; done; exit 3"))
                .withResources(ResourceRequirements.of(new Resources(100, 16L << 20)));
        return new PodTemplate(List.of(web, side), List.of(setup), "Always", 1, null, null, null, null);
    }

    @Test
    void initFirstThenTwoContainersShareTheNetworkAreReadyTogetherRestartAloneAndAreAdopted() throws Exception {
        forwarding = IpForwarding.enabled();
        NodeAgentOptions node = node("multi");
        start(node);
        podCidr(node, "10.198." + octet + ".0/24");
        String pod = "multi-" + run;
        place(node, pod, pod());

        PodStatusChanged initializing = awaitStatus(pod, s -> "Init:0/1".equals(s.reason()));
        assertThat(initializing.state()).isEqualTo(ContainerState.Starting);
        PodStatusChanged ready = awaitStatus(pod, s -> s.state() == ContainerState.Running && Boolean.TRUE.equals(s.ready()));
        assertThat(ready.readyColumn()).isEqualTo("2/2");
        assertThat(ready.podIP()).startsWith("10.198." + octet + ".");
        assertThat(ready.containerStatuses()).extracting(ContainerStatus::name).containsExactly("web", "side");
        assertThat(ready.containerStatuses()).allSatisfy(cs -> {
            assertThat(cs.state()).isEqualTo(ContainerState.Running);
            assertThat(cs.image()).isEqualTo("busybox");
            assertThat(cs.imageID()).as("%s's image digest", cs.name()).contains("@sha256:");
        });
        assertThat(ready.initContainerStatuses()).singleElement().satisfies(cs -> {
            assertThat(cs.name()).isEqualTo("setup");
            assertThat(cs.state()).isEqualTo(ContainerState.Exited);
            assertThat(cs.exitCode()).isZero();
            assertThat(cs.ready()).isTrue();
        });

        // the sidecar reached httpd over 127.0.0.1: one network namespace for the pod
        await().atMost(Duration.ofSeconds(30)).until(() -> texts(pod, "side").contains("hello-from-web"));
        long initDone = stamp(texts(pod, "setup"), "init-done ");
        long webStart = stamp(texts(pod, "web"), "web-start ");
        long sideStart = stamp(texts(pod, "side"), "side-start ");
        System.out.printf("init done %d ms before web started, %d ms before side started%n", webStart - initDone, sideStart - initDone);
        assertThat(webStart).as("web starts after the init container ended").isGreaterThan(initDone);
        assertThat(sideStart).as("side starts after the init container ended").isGreaterThan(initDone);
        assertThat(texts(pod, "web")).doesNotContain("hello-from-web").noneMatch(t -> t.startsWith("init-done"));

        // the sidecar exits 3 after 8 fetches: it restarts on its own, httpd keeps its first run
        PodStatusChanged restarted = awaitStatus(pod, s -> restarts(s, "side") >= 1 && stateOf(s, "side") == ContainerState.Running);
        assertThat(restarts(restarted, "web")).isZero();
        assertThat(stateOf(restarted, "web")).isEqualTo(ContainerState.Running);
        assertThat(restarted.restartCount()).isEqualTo(restarts(restarted, "side"));

        // a restarted agent adopts the three containers: the init container, ended, is not run again
        agents.get(0).keepContainersRunningOnStop();
        TestBus.await(vertx.undeploy(deployments.remove(0)));
        agents.remove(0);
        Instant again = Instant.now();
        start(node);
        PodStatusChanged adopted = awaitStatus(pod, again, s -> s.state() == ContainerState.Running
                && s.containerStatuses().stream().allMatch(cs -> cs.state() == ContainerState.Running));
        assertThat(adopted.podIP()).isEqualTo(ready.podIP());
        assertThat(adopted.initContainerStatuses()).singleElement().satisfies(cs -> assertThat(cs.state()).isEqualTo(ContainerState.Exited));
        Thread.sleep(1500);
        assertThat(texts(pod, "setup").stream().filter(t -> t.startsWith("init-done"))).as("the init container ran once").hasSize(1);

        release(node, pod);
        awaitStatus(pod, s -> s.state() == ContainerState.Stopped);
        // the pod's network goes after its last container (RemovePodNetwork follows that one's Stopped)
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !HostCommands.check(List.of("ip", "netns", "list")).contains(pod));
        assertThat(HostCommands.check(List.of("runc", "--root", node.stateDir().resolve("runc").toString(), "list"))).doesNotContain(pod);
    }

    private static int restarts(PodStatusChanged s, String name) {
        return s.containerStatuses().stream().filter(cs -> cs.name().equals(name)).mapToInt(ContainerStatus::restartCount).findFirst().orElse(-1);
    }

    private static ContainerState stateOf(PodStatusChanged s, String name) {
        return s.containerStatuses().stream().filter(cs -> cs.name().equals(name)).map(ContainerStatus::state).findFirst().orElse(null);
    }

    /** The stamp of the first line starting {@code prefix}, in milliseconds. */
    private static long stamp(List<String> lines, String prefix) {
        return lines.stream().filter(t -> t.startsWith(prefix)).map(t -> (long) (Double.parseDouble(t.substring(prefix.length()).trim()) * 1000))
                .findFirst().orElseThrow(() -> new AssertionError("no line starting " + prefix + " in " + lines));
    }

    private NodeAgentOptions node(String name) {
        NodeAgentOptions o = NodeAgentOptions.local(name + "-" + run, home.resolve(name), home.resolve("images"))
                .withRestartBackoff(FAST).withResyncInterval(Duration.ofMillis(500)).withStatusReportInterval(Duration.ofHours(1));
        nodes.add(o);
        return o;
    }

    private void start(NodeAgentOptions o) throws Exception {
        NodeAgentVerticle agent = new NodeAgentVerticle(bus.config(), o, NodeAgentVerticle.RUNC, PodNetworkSetup.CNI_GENERATED);
        deployments.add(0, TestBus.await(vertx.deployVerticle(agent)));
        agents.add(0, agent);
    }

    private static void podCidr(NodeAgentOptions o, String cidr) {
        bus.send(Topic.NODES, o.nodeName(), new NodeStatusChanged(o.nodeName(), NodeCondition.Ready, false, "heartbeats received", Instant.now(), cidr));
    }

    private static void place(NodeAgentOptions node, String pod, PodTemplate t) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced(pod, node.nodeName(), "shop", t, 1, Map.of(), List.of()));
    }

    private static void release(NodeAgentOptions node, String pod) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodReleased(pod, node.nodeName(), "test"));
    }

    private static List<String> texts(String pod, String container) {
        return bus.payloads(Topic.LOGS, ContainerLogs.class).stream().filter(l -> l.pod().equals(pod) && container.equals(l.container()))
                .flatMap(l -> l.lines().stream()).map(LogLine::text).toList();
    }

    private static PodStatusChanged awaitStatus(String pod, Predicate<PodStatusChanged> match) {
        return awaitStatus(pod, Instant.EPOCH, match);
    }

    private static PodStatusChanged awaitStatus(String pod, Instant since, Predicate<PodStatusChanged> match) {
        PodStatusChanged[] found = new PodStatusChanged[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (Envelope e : bus.read(Topic.POD_STATUS)) {
                if (e.data() instanceof PodStatusChanged s && s.pod().equals(pod) && !e.time().isBefore(since) && match.test(s)) {
                    found[0] = s;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
