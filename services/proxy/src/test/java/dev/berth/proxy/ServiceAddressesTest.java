package dev.berth.proxy;

import static dev.berth.proxy.Backends.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.proxy.core.Endpoint;
import dev.berth.proxy.core.ServiceDeleted;
import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import dev.berth.proxy.core.ServicePort;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster IPs on a real dummy interface, as root (skipped otherwise): reachable from the host
 * without NAT, and nothing left behind after close. Each test uses its own interface name and a
 * random cluster IP from 10.96.0.0/12 that no interface on the host has.
 */
class ServiceAddressesTest {

    @BeforeAll
    static void needsRootAndIproute2() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to add interfaces");
        assumeTrue(run("ip", "-V").startsWith("0:"), "needs iproute2");
    }

    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() + ":" + out;
        } catch (IOException | InterruptedException e) {
            return "-1:" + e;
        }
    }

    static String uniqueInterface() {
        return "berth-svc" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    static String unusedClusterIp() {
        String all = run("ip", "-4", "-o", "addr");
        for (int i = 0; i < 100; i++) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String ip = "10." + (96 + r.nextInt(16)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            if (!all.contains(" " + ip + "/")) {
                return ip;
            }
        }
        throw new AssertionError("no unused cluster IP");
    }

    @Test
    void addsAndRemovesSlash32AddressesAndTheInterfaceOnClose() throws IOException {
        String name = uniqueInterface();
        String ip = unusedClusterIp();
        try (ServiceAddresses a = ServiceAddresses.create(name)) {
            assertThat(ServiceAddresses.exists(name)).isTrue();
            a.add(ip);
            a.add(ip); // idempotent
            assertThat(run("ip", "-4", "-o", "addr", "show", "dev", name)).contains(ip + "/32");
            a.remove(ip);
            assertThat(run("ip", "-4", "-o", "addr", "show", "dev", name)).doesNotContain(ip + "/");
            a.add(ip);
            assertThat(a.addresses()).containsExactly(ip);
        }
        assertThat(ServiceAddresses.exists(name)).isFalse();
        assertThat(run("ip", "-4", "-o", "addr")).doesNotContain(" " + ip + "/");
    }

    @Test
    void aLeftoverInterfaceOfTheSameNameIsReplaced() throws IOException {
        String name = uniqueInterface();
        String stale = unusedClusterIp();
        try {
            assertThat(run("ip", "link", "add", name, "type", "bridge")).startsWith("0:"); // any kind: replaced by name
            assertThat(run("ip", "addr", "add", stale + "/32", "dev", name)).startsWith("0:");
            try (ServiceAddresses a = ServiceAddresses.create(name)) {
                assertThat(run("ip", "-4", "-o", "addr", "show", "dev", name)).doesNotContain(stale);
            }
            assertThat(ServiceAddresses.exists(name)).isFalse();
        } finally {
            run("ip", "link", "del", name);
        }
    }

    @Test
    void refusesNamesWithoutBerthOrTooLong() {
        assertThatThrownBy(() -> ServiceAddresses.create("svc0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceAddresses.create("berth-much-too-long")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceAddresses.create("berth;rm")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClusterIpIsReachableFromTheHostAndGoneAfterStop() throws IOException {
        String name = uniqueInterface();
        String clusterIp = unusedClusterIp();
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer backend = Backends.http(vertx, "pod-a");
            ServiceProxy proxy = await(ServiceProxy.start(vertx, new ProxyOptions("127.0.0.1", 1, 1000, 3, name)));
            ServiceKey key = new ServiceKey("default", "web");
            try {
                ServiceEndpoints web = new ServiceEndpoints(key, clusterIp, List.of(new ServicePort("http", 80)),
                        List.of(new Endpoint("pod-a", "127.0.0.1", Map.of("http", backend.actualPort()), true)));
                assertThat(await(proxy.update(web)).rejection()).isEmpty();
                assertThat(run("ip", "-4", "-o", "addr", "show", "dev", name)).contains(clusterIp + "/32");
                assertThat(Backends.get(clusterIp, 80)).isEqualTo("pod-a");
                assertThat(proxy.status(key).counters().connectionsTotal()).isEqualTo(1);
                // The Service goes: its address goes with it, the interface stays for the others.
                await(proxy.update(new ServiceDeleted(key)));
                assertThat(run("ip", "-4", "-o", "addr", "show", "dev", name)).doesNotContain(clusterIp);
                assertThat(await(proxy.update(web)).rejection()).isEmpty();
            } finally {
                await(proxy.stop());
            }
            assertThat(ServiceAddresses.exists(name)).isFalse();
            assertThat(run("ip", "-4", "-o", "addr")).doesNotContain(" " + clusterIp + "/");
        } finally {
            await(vertx.close());
            run("ip", "link", "del", name);
        }
    }

    /**
     * A "pod": a network namespace whose only way out is a veth to the host with a default route
     * via the host's end, as CNI's bridge plugin leaves it. It reaches the cluster IP through that
     * route, without any NAT rule, and sees the answer from the address it called.
     */
    @Test
    void aPodReachesTheClusterIpThroughItsDefaultRoute() throws IOException {
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        String netns = "berth-pxy-" + suffix;
        String hostVeth = "berth-pxh" + suffix;
        String podVeth = "berth-pxp" + suffix;
        int subnet = ThreadLocalRandom.current().nextInt(0, 64) * 4;
        String hostIp = "10.254." + ThreadLocalRandom.current().nextInt(256) + ".";
        String podIp = hostIp + (subnet + 2);
        hostIp = hostIp + (subnet + 1);
        assumeTrue(!run("ip", "-4", "-o", "addr").contains(" " + hostIp + "/"), "address in use");
        String name = uniqueInterface();
        String clusterIp = unusedClusterIp();
        Vertx vertx = Vertx.vertx();
        try {
            assertThat(run("ip", "netns", "add", netns)).startsWith("0:");
            assertThat(run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", podVeth)).startsWith("0:");
            assertThat(run("ip", "link", "set", podVeth, "netns", netns)).startsWith("0:");
            assertThat(run("ip", "addr", "add", hostIp + "/30", "dev", hostVeth)).startsWith("0:");
            assertThat(run("ip", "link", "set", hostVeth, "up")).startsWith("0:");
            assertThat(run("ip", "netns", "exec", netns, "ip", "addr", "add", podIp + "/30", "dev", podVeth)).startsWith("0:");
            assertThat(run("ip", "netns", "exec", netns, "ip", "link", "set", podVeth, "up")).startsWith("0:");
            assertThat(run("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up")).startsWith("0:");
            assertThat(run("ip", "netns", "exec", netns, "ip", "route", "add", "default", "via", hostIp)).startsWith("0:");

            HttpServer backend = Backends.http(vertx, "pod-b");
            ServiceProxy proxy = await(ServiceProxy.start(vertx, new ProxyOptions("127.0.0.1", 1, 1000, 3, name)));
            try {
                ServiceKey key = new ServiceKey("default", "web");
                ServiceEndpoints web = new ServiceEndpoints(key, clusterIp, List.of(new ServicePort("http", 80)),
                        List.of(new Endpoint("pod-b", "127.0.0.1", Map.of("http", backend.actualPort()), true)));
                assertThat(await(proxy.update(web)).rejection()).isEmpty();
                String answer = run("ip", "netns", "exec", netns, "curl", "-sS", "--max-time", "5", "http://" + clusterIp + "/");
                assertThat(answer).isEqualTo("0:pod-b");
                assertThat(proxy.status(key).counters().requests()).isEqualTo(1);
            } finally {
                await(proxy.stop());
            }
        } finally {
            await(vertx.close());
            run("ip", "link", "del", hostVeth);
            run("ip", "netns", "del", netns);
            run("ip", "link", "del", name);
        }
        assertThat(run("ip", "netns", "list")).doesNotContain(netns);
        assertThat(run("ip", "link", "show")).doesNotContain(hostVeth).doesNotContain(name);
    }
}
