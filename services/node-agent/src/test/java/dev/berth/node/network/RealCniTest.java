package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod networking with the real plugins from containernetworking-plugins: two "nodes" on this host, each
 * with its own bridge and /24, pods as named namespaces. Traffic goes only to the namespaces and bridge
 * addresses this test creates; no NAT is set up except portmap's hostPort DNAT. Everything it creates is
 * removed and the removal asserted.
 */
@EnabledIf("dev.berth.node.network.RealCni#usable")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealCniTest {
    private static final String RUN = HexFormat.of().formatHex(new byte[] {(byte) ThreadLocalRandom.current().nextInt(256), (byte) ThreadLocalRandom.current().nextInt(256)});
    private static final String NODE_A = "cnitest-" + RUN + "-a";
    private static final String NODE_B = "cnitest-" + RUN + "-b";
    /** Two adjacent /24s picked at random in 10.199.0.0/16, so concurrent runs rarely meet. */
    private static final int OCTET = 2 * ThreadLocalRandom.current().nextInt(10, 120);
    private static final String CIDR_A = "10.199." + OCTET + ".0/24";
    private static final String CIDR_B = "10.199." + (OCTET + 1) + ".0/24";

    @TempDir static Path state;
    private static boolean ipForwardBefore;
    private static boolean portmapChainsBefore;
    private static PodNetworks a;
    private static PodNetworks b;
    private static final List<Process> servers = new ArrayList<>();

    @BeforeAll
    static void open() throws IOException {
        ipForwardBefore = IpForwarding.enabled();
        portmapChainsBefore = HostCommands.run(List.of("iptables-save", "-t", "nat")).stdout().contains("CNI-HOSTPORT-DNAT");
        a = PodNetworks.open(NodeNetworkOptions.defaults(NODE_A, state.resolve("a")), CIDR_A);
        b = PodNetworks.open(NodeNetworkOptions.defaults(NODE_B, state.resolve("b")), CIDR_B);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        servers.forEach(Process::destroyForcibly);
        List<Exception> problems = new ArrayList<>();
        if (a != null) problems.addAll(a.tearDownAll());
        if (b != null) problems.addAll(b.tearDownAll());
        if (!portmapChainsBefore) PortmapChains.removeIfUnused();
        IpForwarding.set(ipForwardBefore);
        assertThat(problems).isEmpty();
        assertNothingLeft();
    }

    @Test
    @Order(1)
    void versionReportsTheSpecVersionsOfTheInstalledPlugin() throws CniException {
        var out = CniPlugins.defaults().invoke("bridge", CniPlugins.Invocation.version(), "{\"cniVersion\":\"1.0.0\"}".getBytes());
        assertThat(out.path("supportedVersions").toString()).contains("0.4.0", "1.0.0");
    }

    @Test
    @Order(2)
    void aBadConfigurationIsAnsweredWithThePluginsErrorJson() {
        CniNetwork bad = new CniNetwork(CniConfigList.parse(
                "{\"cniVersion\":\"1.0.0\",\"name\":\"cnitest-bad\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":123}]}".getBytes(), "test"),
                CniPlugins.defaults());
        assertThatThrownBy(() -> bad.add(new CniRuntime("cnitest-" + RUN + "-bad", "/nonexistent/netns", "eth0", null, null)))
                .isInstanceOfSatisfying(CniException.class, e -> {
                    assertThat(e.code()).isEqualTo(999);
                    assertThat(e.msg()).contains("cannot unmarshal");
                    assertThat(e.plugin()).isEqualTo("bridge");
                    assertThat(e.getMessage()).contains("CNI ADD of plugin bridge failed (code");
                });
    }

    @Test
    @Order(3)
    void podsGetAnAddressOfTheirNodesRangeAndAVethOnTheNodesBridge() throws Exception {
        PodNetwork p1 = a.setUp("web-1", List.of());
        PodNetwork p2 = a.setUp("web-2", List.of());
        assertThat(p1.outcome()).isEqualTo(PodNetwork.Outcome.ADDED);
        assertThat(Ipv4Cidr.parse(CIDR_A).contains(p1.podIP())).isTrue();
        assertThat(Ipv4Cidr.parse(CIDR_A).contains(p2.podIP())).isTrue();
        assertThat(p1.podIP()).isNotEqualTo(p2.podIP()).isNotEqualTo(Ipv4Cidr.parse(CIDR_A).address(1));
        assertThat(p1.netns()).isEqualTo(Path.of("/run/netns/berth_" + NODE_A + "_web-1")).exists();
        String bridge = a.options().bridge();
        assertThat(bridge).startsWith("berth-");
        assertThat(ip("-o", "link", "show", "master", bridge).lines().count()).isEqualTo(2);
        assertThat(ip("-n", netnsName(p1), "-o", "-4", "addr", "show", "eth0")).contains(p1.podIP() + "/24");
        assertThat(ip("-n", netnsName(p1), "-o", "link", "show", "lo")).contains("UP");
    }

    @Test
    @Order(4)
    void podsOnOneBridgeReachEachOtherOverTcpAndIcmp() throws Exception {
        PodNetwork p1 = a.setUp("web-1", List.of());
        PodNetwork p2 = a.setUp("web-2", List.of());
        assertThat(execIn(p1, "busybox", "ping", "-c", "1", "-W", "3", p2.podIP())).contains("1 packets received");
        assertThat(tcpExchange(p2, 7777, p1, p2.podIP(), 7777)).isTrue();
    }

    @Test
    @Order(5)
    void aPodOnAnotherNodeReachesThisNodesPodThroughTheHostsRoutes() throws Exception {
        IpForwarding.set(true); // host-gw: the host routes between the bridges (restored after the class)
        PodNetwork there = b.setUp("api-1", List.of());
        PodNetwork here = a.setUp("web-1", List.of());
        assertThat(Ipv4Cidr.parse(CIDR_B).contains(there.podIP())).isTrue();
        assertThat(ip("-o", "route", "show", CIDR_B)).contains(b.options().bridge());
        assertThat(tcpExchange(here, 7778, there, here.podIP(), 7778)).isTrue();
        // The peer sees the pod's own address: no masquerade on the way.
        assertThat(HostCommands.run(List.of("iptables-save", "-t", "nat")).stdout()).doesNotContain(there.podIP());
    }

    @Test
    @Order(6)
    void aHostPortReachesThePodThroughPortmap() throws Exception {
        int hostPort = 20000 + ThreadLocalRandom.current().nextInt(9000);
        PodNetwork p = a.setUp("hp-1", List.of(PortMapping.tcp(hostPort, 8080)));
        assertThat(HostCommands.run(List.of("iptables-save", "-t", "nat")).stdout()).contains("--dport " + hostPort);
        String gateway = Ipv4Cidr.parse(CIDR_A).address(1);
        assertThat(tcpFromHost(p, 8080, gateway, hostPort)).isTrue();
        assertThat(tcpFromHost(p, 8080, "127.0.0.1", hostPort)).as("localhost").isTrue();
        a.tearDown("hp-1");
        String nat = HostCommands.run(List.of("iptables-save", "-t", "nat")).stdout();
        assertThat(nat).doesNotContain("--dport " + hostPort).doesNotContain("berth_" + NODE_A + "_hp-1");
    }

    @Test
    @Order(7)
    void aRestartedAgentAdoptsThePodsNetworkingInsteadOfAddingItAgain() throws Exception {
        PodNetwork before = a.setUp("web-1", List.of());
        PodNetworks restarted = PodNetworks.open(NodeNetworkOptions.defaults(NODE_A, state.resolve("a")), CIDR_A);
        assertThat(restarted.pods()).contains("web-1", "web-2");
        assertThat(restarted.known("web-1")).hasValueSatisfying(k -> assertThat(k.podIP()).isEqualTo(before.podIP()));
        assertThat(restarted.known("never-set-up")).isEmpty();
        PodNetwork adopted = restarted.setUp("web-1", List.of());
        assertThat(adopted.outcome()).isEqualTo(PodNetwork.Outcome.ADOPTED);
        assertThat(adopted.podIP()).isEqualTo(before.podIP());
        assertThat(ip("-o", "link", "show", "master", a.options().bridge()).lines().count()).isEqualTo(2);
    }

    @Test
    @Order(8)
    void anAttachmentThatFailsCheckIsRepairedInTheSameNamespace() throws Exception {
        PodNetwork before = a.setUp("web-2", List.of());
        String hostVeth = before.result().interfaces().stream().filter(i -> i.sandbox() == null && i.name().startsWith("veth")).findFirst().orElseThrow().name();
        ip("link", "delete", hostVeth);
        PodNetwork repaired = a.setUp("web-2", List.of());
        assertThat(repaired.outcome()).isEqualTo(PodNetwork.Outcome.REPAIRED);
        assertThat(repaired.netns()).isEqualTo(before.netns());
        PodNetwork peer = a.setUp("web-1", List.of());
        assertThat(execIn(peer, "busybox", "ping", "-c", "1", "-W", "3", repaired.podIP())).contains("1 packets received");
    }

    @Test
    @Order(9)
    void tearDownRemovesTheVethTheLeaseAndTheNamespaceAndIsIdempotent() throws Exception {
        PodNetwork p = a.setUp("web-2", List.of());
        Path lease = state.resolve("a/cni/ipam/berth-" + NODE_A + "/" + p.podIP());
        assertThat(lease).exists();
        a.tearDown("web-2");
        a.tearDown("web-2");
        assertThat(lease).doesNotExist();
        assertThat(p.netns()).doesNotExist();
        assertThat(a.pods()).doesNotContain("web-2");
        assertThat(ip("-o", "link", "show", "master", a.options().bridge()).lines().count()).isEqualTo(1);
    }

    @Test
    @Order(10)
    void aPodIsDeletedFromTheNetworkItJoinedEvenAfterTheConfigChanged() throws Exception {
        PodNetwork p = a.setUp("cfg-1", List.of());
        Path lease = state.resolve("a/cni/ipam/berth-" + NODE_A + "/" + p.podIP());
        assertThat(lease).exists();
        Path operatorDir = Files.createDirectories(state.resolve("operator-net.d"));
        String otherBridge = "cni" + RUN + "other";
        Files.writeString(operatorDir.resolve("10-other.conflist"), "{\"cniVersion\":\"0.4.0\",\"name\":\"cnitest-" + RUN + "-other\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\""
                + otherBridge + "\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.199.250.0/24\",\"dataDir\":\"" + state.resolve("other-ipam") + "\"}}]}");
        PodNetworks reconfigured = PodNetworks.open(NodeNetworkOptions.defaults(NODE_A, state.resolve("a")).withConfDir(operatorDir), null);
        assertThat(reconfigured.config().name()).isEqualTo("cnitest-" + RUN + "-other");
        assertThat(reconfigured.pods()).contains("cfg-1");
        reconfigured.tearDown("cfg-1");
        assertThat(lease).doesNotExist();
        assertThat(p.netns()).doesNotExist();
        assertThat(HostCommands.check(List.of("ip", "-o", "link"))).doesNotContain(otherBridge);
    }

    // ---- helpers

    private static String netnsName(PodNetwork p) { return p.netns().getFileName().toString(); }

    private static String ip(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        return HostCommands.check(argv);
    }

    private static String execIn(PodNetwork p, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netnsName(p)));
        cmd.addAll(List.of(argv));
        HostCommands.Outcome o = HostCommands.run(cmd);
        return o.stdout() + o.stderr();
    }

    /** A busybox nc listener in {@code server}'s namespace and a client in {@code client}'s: each must get the other's line. */
    private static boolean tcpExchange(PodNetwork server, int port, PodNetwork client, String address, int dialPort) throws Exception {
        return exchange(List.of("ip", "netns", "exec", netnsName(server), "busybox", "nc", "-l", "-p", String.valueOf(port)),
                List.of("ip", "netns", "exec", netnsName(client), "busybox", "nc", "-w", "3", address, String.valueOf(dialPort)));
    }

    private static boolean tcpFromHost(PodNetwork server, int port, String address, int dialPort) throws Exception {
        return exchange(List.of("ip", "netns", "exec", netnsName(server), "busybox", "nc", "-l", "-p", String.valueOf(port)),
                List.of("busybox", "nc", "-w", "3", address, String.valueOf(dialPort)));
    }

    private static boolean exchange(List<String> serverCmd, List<String> clientCmd) throws Exception {
        String token = "berth-" + RUN + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
        Process server = new ProcessBuilder(serverCmd).redirectErrorStream(true).start();
        servers.add(server);
        var heardFuture = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        server.getOutputStream().write(("server-" + token + "\n").getBytes(StandardCharsets.UTF_8));
        server.getOutputStream().flush();
        String got = "";
        for (int attempt = 0; attempt < 20 && !got.contains("server-" + token); attempt++) {
            Thread.sleep(100); // the listener needs a moment to bind
            Process client = new ProcessBuilder(clientCmd).redirectErrorStream(true).start();
            client.getOutputStream().write(("client-" + token + "\n").getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().close();
            if (!client.waitFor(10, TimeUnit.SECONDS)) client.destroyForcibly();
            got = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        server.getOutputStream().close();
        server.waitFor(5, TimeUnit.SECONDS);
        server.destroyForcibly();
        String heard = heardFuture.get(5, TimeUnit.SECONDS);
        return got.contains("server-" + token) && heard.contains("client-" + token);
    }

    private static void assertNothingLeft() throws IOException {
        String mark = "cnitest-" + RUN;
        String netns = HostCommands.check(List.of("ip", "netns", "list"));
        assertThat(netns).doesNotContain(mark);
        String links = HostCommands.check(List.of("ip", "-o", "link"));
        assertThat(links).doesNotContain(DefaultNetworkConfig.bridgeName(NODE_A)).doesNotContain(DefaultNetworkConfig.bridgeName(NODE_B));
        assertThat(HostCommands.check(List.of("ip", "-o", "-4", "addr"))).doesNotContain("10.199." + OCTET + ".").doesNotContain("10.199." + (OCTET + 1) + ".");
        assertThat(HostCommands.run(List.of("iptables-save")).stdout()).doesNotContain(mark);
        assertThat(HostCommands.run(List.of("nft", "list", "ruleset")).stdout()).doesNotContain(mark);
    }
}
