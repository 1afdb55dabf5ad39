package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes as two machines: each node's "host" is a network namespace, the two joined by a veth pair as
 * by a LAN. Each node's plugins run inside its host (bridge, veths, portmap rules are that host's), its
 * pod CIDR is routed to the other host by host-gw routes, and each host forwards (its own ip_forward; the
 * real host's is never touched). A pod on one reaches a pod on the other by IP, and a hostPort of one
 * from the other host's address.
 */
@EnabledIf("dev.berth.node.network.RealCni#usable")
class RealSeparateHostsTest {
    private final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 4);
    private final String hostA = "cnihost-" + run + "-a";
    private final String hostB = "cnihost-" + run + "-b";
    private final int octet = 2 * ThreadLocalRandom.current().nextInt(1, 120);
    private final String cidrA = "10.197." + octet + ".0/24";
    private final String cidrB = "10.197." + (octet + 1) + ".0/24";
    private static final String ADDR_A = "198.51.100.1";
    private static final String ADDR_B = "198.51.100.2";

    @Test
    void podsOnTwoMachinesReachEachOtherThroughHostGwRoutes(@TempDir Path tmp) throws Exception {
        List<Exception> problems = new ArrayList<>();
        boolean hostForwarding = IpForwarding.enabled();
        PodNetworks a = null, b = null;
        try {
            lan();
            a = PodNetworks.open(NodeNetworkOptions.defaults("cnisep-" + run + "-a", tmp.resolve("a")).withHostNetns(hostA), cidrA);
            b = PodNetworks.open(NodeNetworkOptions.defaults("cnisep-" + run + "-b", tmp.resolve("b")).withHostNetns(hostB), cidrB);
            PodNetwork web = a.setUp("web-1", List.of(PortMapping.tcp(8081, 8080)));
            PodNetwork api = b.setUp("api-1", List.of());
            assertThat(Ipv4Cidr.parse(cidrA).contains(web.podIP())).isTrue();
            // The bridge lives in host A, not on the real host.
            assertThat(HostCommands.check(List.of("ip", "-o", "link"))).doesNotContain(a.options().bridge());
            assertThat(HostCommands.check(List.of("ip", "-n", hostA, "-o", "link"))).contains(a.options().bridge());

            assertThat(exchange(List.of("ip", "netns", "exec", netns(api), "busybox", "nc", "-l", "-p", "7002"),
                    List.of("ip", "netns", "exec", netns(web), "busybox", "nc", "-w", "1", api.podIP(), "7002"), 3))
                    .as("no route to the other node's pods before host-gw routes").isFalse();

            List<HostGwRoutes.NodeRoute> topic = List.of(new HostGwRoutes.NodeRoute(a.options().nodeName(), cidrA, ADDR_A),
                    new HostGwRoutes.NodeRoute(b.options().nodeName(), cidrB, ADDR_B));
            assertThat(HostGwRoutes.sync(hostA, a.options().nodeName(), ADDR_A, topic)).hasSize(1);
            assertThat(HostGwRoutes.sync(hostB, b.options().nodeName(), ADDR_B, topic)).hasSize(1);
            assertThat(HostGwRoutes.sync(hostA, a.options().nodeName(), ADDR_A, topic)).as("idempotent").isEmpty();
            assertThat(HostCommands.check(List.of("ip", "-n", hostA, "route", "show", "proto", "199"))).contains(cidrB + " via " + ADDR_B);

            assertThat(exchange(List.of("ip", "netns", "exec", netns(api), "busybox", "nc", "-l", "-p", "7001"),
                    List.of("ip", "netns", "exec", netns(web), "busybox", "nc", "-w", "3", api.podIP(), "7001"))).isTrue();
            assertThat(exchange(List.of("ip", "netns", "exec", netns(web), "busybox", "nc", "-l", "-p", "8080"),
                    List.of("ip", "netns", "exec", hostB, "busybox", "nc", "-w", "3", ADDR_A, "8081"))).as("hostPort from the other machine").isTrue();

            HostGwRoutes.removeAll(hostA);
            assertThat(HostCommands.check(List.of("ip", "-n", hostA, "route", "show", "proto", "199"))).isBlank();
        } finally {
            if (a != null) problems.addAll(a.tearDownAll());
            if (b != null) problems.addAll(b.tearDownAll());
            for (String h : List.of(hostA, hostB)) {
                try {
                    NetworkNamespaces.delete(h);
                } catch (Exception e) {
                    problems.add(e);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(IpForwarding.enabled()).as("the real host's ip_forward is never touched").isEqualTo(hostForwarding);
        assertThat(HostCommands.check(List.of("ip", "netns", "list"))).doesNotContain(run + "-a").doesNotContain(run + "-b");
        assertThat(HostCommands.check(List.of("ip", "-o", "link"))).doesNotContain("cnih" + run);
        assertThat(HostCommands.run(List.of("iptables-save")).stdout()).doesNotContain("cnisep-" + run);
    }

    private void lan() throws Exception {
        for (String h : List.of(hostA, hostB)) {
            NetworkNamespaces.create(h);
            HostCommands.check(List.of("ip", "-n", h, "link", "set", "lo", "up"));
            HostCommands.check(List.of("ip", "netns", "exec", h, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"));
        }
        String va = "cnih" + run + "a", vb = "cnih" + run + "b";
        HostCommands.check(List.of("ip", "link", "add", va, "type", "veth", "peer", "name", vb));
        HostCommands.check(List.of("ip", "link", "set", va, "netns", hostA));
        HostCommands.check(List.of("ip", "link", "set", vb, "netns", hostB));
        HostCommands.check(List.of("ip", "-n", hostA, "addr", "add", ADDR_A + "/24", "dev", va));
        HostCommands.check(List.of("ip", "-n", hostB, "addr", "add", ADDR_B + "/24", "dev", vb));
        HostCommands.check(List.of("ip", "-n", hostA, "link", "set", va, "up"));
        HostCommands.check(List.of("ip", "-n", hostB, "link", "set", vb, "up"));
    }

    private static String netns(PodNetwork p) { return p.netns().getFileName().toString(); }

    private boolean exchange(List<String> serverCmd, List<String> clientCmd) throws Exception {
        return exchange(serverCmd, clientCmd, 20);
    }

    private boolean exchange(List<String> serverCmd, List<String> clientCmd, int attempts) throws Exception {
        String token = "t" + ThreadLocalRandom.current().nextInt(1_000_000);
        Process server = new ProcessBuilder(serverCmd).redirectErrorStream(true).start();
        CompletableFuture<String> heard = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (Exception e) {
                return "";
            }
        });
        server.getOutputStream().write(("server-" + token + "\n").getBytes(StandardCharsets.UTF_8));
        server.getOutputStream().flush();
        String got = "";
        try {
            for (int attempt = 0; attempt < attempts && !got.contains("server-" + token); attempt++) {
                Thread.sleep(100);
                Process client = new ProcessBuilder(clientCmd).redirectErrorStream(true).start();
                client.getOutputStream().write(("client-" + token + "\n").getBytes(StandardCharsets.UTF_8));
                client.getOutputStream().close();
                if (!client.waitFor(10, TimeUnit.SECONDS)) client.destroyForcibly();
                got = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            server.getOutputStream().close();
            server.waitFor(5, TimeUnit.SECONDS);
        } finally {
            server.destroyForcibly();
        }
        return got.contains("server-" + token) && heard.get(5, TimeUnit.SECONDS).contains("client-" + token);
    }
}
