package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Envelope;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.node.NodeAgentOptions;
import dev.berth.node.NodeAgentVerticle;
import dev.berth.node.PodNetworkSetup;
import dev.berth.node.RealRunc;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod networking end to end, as root: two node agents with real runc and the real CNI plugins (the
 * generated bridge + host-local + portmap config), their pod CIDRs from berth.nodes as the controller
 * publishes them. A pod gets an IP, 127.0.0.1:hostPort reaches its server, a pod on the other node
 * connects to it by IP, a restarted agent adopts the pod's network with its IP; after the pods are
 * deleted and the agents stopped, nothing of them is left on the host.
 */
@EnabledIf("usable")
class RealPodNetworkAgentTest {
    static boolean usable() { return RealRunc.usable() && RealCni.usable(); }

    static TestBus bus;
    static Vertx vertx;
    @TempDir Path home;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final int octet = 2 * (1 + ThreadLocalRandom.current().nextInt(120));
    final int hostPort = 20000 + ThreadLocalRandom.current().nextInt(20000);
    final List<NodeAgentOptions> nodes = new ArrayList<>();
    final List<String> deployments = new ArrayList<>();
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

    /** Whatever the test did or failed to do: agents stopped, containers and networks removed, the host as before. */
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

    @Test
    void podsGetIpsReachEachOtherAndTheirHostPortAndLeaveNothingBehind() throws Exception {
        forwarding = IpForwarding.enabled();
        NodeAgentOptions a = node("neta"), b = node("netb");
        String cidrA = "10.197." + octet + ".0/24", cidrB = "10.197." + (octet + 1) + ".0/24";
        start(a);
        start(b);
        podCidr(a, cidrA);
        podCidr(b, cidrB);

        String server = "srv-" + run;
        place(a, server, template("Always", "while true; do echo hello-from-" + server + " | nc -l -p 8080; done")
                .withPorts(List.of(new ContainerPort(8080, "http", "TCP", hostPort))));
        PodStatusChanged running = awaitStatus(server, s -> s.state() == ContainerState.Running);
        assertThat(running.podIP()).isEqualTo("10.197." + octet + ".2");
        String netns = "berth_" + a.nodeName() + "_" + server;
        assertThat(HostCommands.check(List.of("ip", "netns", "list"))).contains(netns);
        assertThat(HostCommands.check(List.of("ip", "netns", "exec", netns, "ip", "-o", "-4", "addr", "show", "eth0")))
                .contains("inet " + running.podIP() + "/24");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> readLine("127.0.0.1", hostPort).contains("hello-from-" + server));

        String client = "cli-" + run;
        place(b, client, template("Never", "echo ping | nc -w 3 " + running.podIP() + " 8080 | grep -q hello-from-" + server));
        PodStatusChanged done = awaitStatus(client, s -> s.state() == ContainerState.Exited);
        assertThat(done.exitCode()).as("the pod on %s read the greeting of the pod on %s by its IP", b.nodeName(), a.nodeName()).isZero();
        assertThat(done.podIP()).isEqualTo("10.197." + (octet + 1) + ".2");

        // a restarted agent adopts the pod's network: CHECK, same IP, the hostPort still answers
        NodeAgentVerticle crashed = agents.get(0);
        crashed.keepContainersRunningOnStop();
        TestBus.await(vertx.undeploy(deployments.remove(0)));
        Instant restarted = Instant.now();
        start(a);
        PodStatusChanged adopted = awaitStatus(server, restarted, s -> "Adopted".equals(s.reason()));
        assertThat(adopted.podIP()).isEqualTo(running.podIP());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> readLine("127.0.0.1", hostPort).contains("hello-from-" + server));

        release(a, server);
        release(b, client);
        awaitStatus(server, s -> s.state() == ContainerState.Stopped);
        awaitStatus(client, s -> s.state() == ContainerState.Stopped);
        assertThat(HostCommands.check(List.of("ip", "netns", "list"))).doesNotContain(a.nodeName()).doesNotContain(b.nodeName());
        assertThat(HostCommands.run(List.of("iptables-save")).stdout()).doesNotContain(server);
        assertThat(leases(a)).as("host-local leases of %s", a.nodeName()).isEmpty();
        assertThat(leases(b)).as("host-local leases of %s", b.nodeName()).isEmpty();

        for (String id : List.copyOf(deployments)) TestBus.await(vertx.undeploy(id));
        deployments.clear();
        String links = HostCommands.check(List.of("ip", "-o", "link"));
        assertThat(links).doesNotContain(DefaultNetworkConfig.bridgeName(a.nodeName())).doesNotContain(DefaultNetworkConfig.bridgeName(b.nodeName()));
        assertThat(HostCommands.check(List.of("ip", "-o", "-4", "addr"))).doesNotContain("10.197." + octet + ".").doesNotContain("10.197." + (octet + 1) + ".");
        assertThat(HostCommands.check(List.of("ip", "route"))).doesNotContain("10.197." + octet + ".");
        String nat = HostCommands.run(List.of("iptables-save", "-t", "nat")).stdout();
        assertThat(nat).doesNotContain(a.nodeName()).doesNotContain(Integer.toString(hostPort));
    }

    final List<NodeAgentVerticle> agents = new ArrayList<>();

    private NodeAgentOptions node(String name) {
        NodeAgentOptions o = NodeAgentOptions.local(name + "-" + run, home.resolve(name), home.resolve("images"))
                .withResyncInterval(Duration.ofMillis(500));
        nodes.add(o);
        return o;
    }

    private void start(NodeAgentOptions o) throws Exception {
        NodeAgentVerticle agent = new NodeAgentVerticle(bus.config(), o, NodeAgentVerticle.RUNC, PodNetworkSetup.CNI_GENERATED);
        String id = TestBus.await(vertx.deployVerticle(agent));
        if (o == nodes.get(0)) {
            agents.add(0, agent);
            deployments.add(0, id);
        } else {
            agents.add(agent);
            deployments.add(id);
        }
    }

    /** The controller's status for the node, with its pod CIDR. */
    private static void podCidr(NodeAgentOptions o, String cidr) {
        bus.send(Topic.NODES, o.nodeName(), new NodeStatusChanged(o.nodeName(), NodeCondition.Ready, false, "heartbeats received", Instant.now(), cidr));
    }

    /** host-local's lease files: one per address held, named by it. */
    private static List<String> leases(NodeAgentOptions o) throws IOException {
        Path dir = o.stateDir().resolve("cni").resolve("ipam");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9.]+")).toList();
        }
    }

    private static String readLine(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            return "";
        }
    }

    private static PodTemplate template(String restartPolicy, String script) {
        return new PodTemplate("busybox", List.of("sh", "-c"), List.of(script), Map.of(), new Resources(250, 32L << 20), restartPolicy, 1);
    }

    private static void place(NodeAgentOptions node, String pod, PodTemplate t) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced(pod, node.nodeName(), "test", t, 1, Map.of(), List.of()));
    }

    private static void release(NodeAgentOptions node, String pod) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodReleased(pod, node.nodeName(), "test"));
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
