package dev.berth.proxy.core;

import static dev.berth.proxy.core.Fixtures.readyEndpoints;
import static dev.berth.proxy.core.Fixtures.service;
import static dev.berth.proxy.core.Fixtures.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.core.Listener.Kind;
import dev.berth.proxy.core.ListenerChange.AddAddress;
import dev.berth.proxy.core.ListenerChange.Close;
import dev.berth.proxy.core.ListenerChange.Open;
import dev.berth.proxy.core.ListenerChange.RemoveAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProxyTableTest {
    static final ServiceKey WEB = new ServiceKey("default", "web");
    static final ProxyTable EMPTY = ProxyTable.empty("127.0.0.1");

    static Listener cluster(String ip, int port, ServiceKey key, String portName) {
        return new Listener(Kind.CLUSTER_IP, ip, port, Protocol.TCP, key, portName);
    }

    static Listener nodePort(int port, ServiceKey key, String portName) {
        return new Listener(Kind.NODE_PORT, "127.0.0.1", port, Protocol.TCP, key, portName);
    }

    static ServiceEndpoints webNodePort(int nodePort, List<Endpoint> endpoints) {
        return service("web", "10.96.0.10", List.of(new ServicePort("http", 80).withNodePort(nodePort)), endpoints);
    }

    @Test
    void aNewServiceAddsItsClusterIpThenOpensItsListeners() {
        Applied a = ProxyTable.apply(EMPTY, webNodePort(30080, readyEndpoints(3)));
        assertThat(a.rejection()).isEmpty();
        assertThat(a.changes()).containsExactly(
                new AddAddress("10.96.0.10"),
                new Open(cluster("10.96.0.10", 80, WEB, "http")),
                new Open(nodePort(30080, WEB, "http")));
        assertThat(a.table().service(WEB)).isPresent();
    }

    @Test
    void endpointChangesChangeNoListener() {
        ProxyTable t = ProxyTable.apply(EMPTY, webNodePort(30080, readyEndpoints(3))).table();
        Applied fewer = ProxyTable.apply(t, webNodePort(30080, readyEndpoints(1)));
        assertThat(fewer.changes()).isEmpty();
        assertThat(fewer.table().service(WEB).orElseThrow().endpoints()).hasSize(1);
        Applied none = ProxyTable.apply(fewer.table(), webNodePort(30080, List.of()));
        assertThat(none.changes()).isEmpty();
        assertThat(none.table().listeners()).hasSize(2);
    }

    @Test
    void readinessChangesChangeNoListenerButTheTableHasThem() {
        ProxyTable t = ProxyTable.apply(EMPTY, web(readyEndpoints(2))).table();
        List<Endpoint> flipped = List.of(readyEndpoints(2).get(0).withReady(false), readyEndpoints(2).get(1));
        Applied a = ProxyTable.apply(t, web(flipped));
        assertThat(a.changes()).isEmpty();
        assertThat(a.table().service(WEB).orElseThrow().endpoints().get(0).ready()).isFalse();
    }

    @Test
    void anAddedPortOpensOnlyItsListener() {
        ProxyTable t = ProxyTable.apply(EMPTY, web(readyEndpoints(1))).table();
        ServiceEndpoints twoPorts = service("web", "10.96.0.10",
                List.of(new ServicePort("http", 80), new ServicePort("https", 443)), readyEndpoints(1));
        assertThat(ProxyTable.apply(t, twoPorts).changes()).containsExactly(new Open(cluster("10.96.0.10", 443, WEB, "https")));
    }

    @Test
    void aRemovedPortClosesOnlyItsListenerAndKeepsTheAddress() {
        ServiceEndpoints twoPorts = service("web", "10.96.0.10",
                List.of(new ServicePort("http", 80), new ServicePort("https", 443)), readyEndpoints(1));
        ProxyTable t = ProxyTable.apply(EMPTY, twoPorts).table();
        assertThat(ProxyTable.apply(t, web(readyEndpoints(1))).changes())
                .containsExactly(new Close(cluster("10.96.0.10", 443, WEB, "https")));
    }

    @Test
    void aChangedNodePortClosesTheOldAndOpensTheNew() {
        ProxyTable t = ProxyTable.apply(EMPTY, webNodePort(30080, readyEndpoints(1))).table();
        assertThat(ProxyTable.apply(t, webNodePort(30081, readyEndpoints(1))).changes())
                .containsExactly(new Close(nodePort(30080, WEB, "http")), new Open(nodePort(30081, WEB, "http")));
    }

    @Test
    void aChangedClusterIpMovesEverythingInOrder() {
        ProxyTable t = ProxyTable.apply(EMPTY, web(readyEndpoints(1))).table();
        ServiceEndpoints moved = service("web", "10.96.0.11", List.of(new ServicePort("http", 80)), readyEndpoints(1));
        assertThat(ProxyTable.apply(t, moved).changes()).containsExactly(
                new Close(cluster("10.96.0.10", 80, WEB, "http")),
                new RemoveAddress("10.96.0.10"),
                new AddAddress("10.96.0.11"),
                new Open(cluster("10.96.0.11", 80, WEB, "http")));
    }

    @Test
    void aRenamedPortReopensItsListener() {
        ProxyTable t = ProxyTable.apply(EMPTY, web(readyEndpoints(1))).table();
        ServiceEndpoints renamed = service("web", "10.96.0.10", List.of(new ServicePort("web", 80)), List.of());
        assertThat(ProxyTable.apply(t, renamed).changes()).containsExactly(
                new Close(cluster("10.96.0.10", 80, WEB, "http")), new Open(cluster("10.96.0.10", 80, WEB, "web")));
    }

    @Test
    void deletingClosesEverythingAndRemovesTheAddress() {
        ProxyTable t = ProxyTable.apply(EMPTY, webNodePort(30080, readyEndpoints(3))).table();
        Applied a = ProxyTable.apply(t, new ServiceDeleted(WEB));
        assertThat(a.changes()).containsExactly(
                new Close(cluster("10.96.0.10", 80, WEB, "http")),
                new Close(nodePort(30080, WEB, "http")),
                new RemoveAddress("10.96.0.10"));
        assertThat(a.table().services()).isEmpty();
        assertThat(a.table().listeners()).isEmpty();
    }

    @Test
    void deletingAnUnknownServiceChangesNothing() {
        Applied a = ProxyTable.apply(EMPTY, new ServiceDeleted(WEB));
        assertThat(a.changes()).isEmpty();
        assertThat(a.rejection()).isEmpty();
    }

    @Test
    void anAddressSharedByTwoServicesStaysUntilTheLastGoes() {
        ServiceEndpoints a = service("a", "10.96.0.10", List.of(new ServicePort("http", 80)), List.of());
        ServiceEndpoints b = service("b", "10.96.0.10", List.of(new ServicePort("http", 81)), List.of());
        ProxyTable t = ProxyTable.apply(ProxyTable.apply(EMPTY, a).table(), b).table();
        Applied goneA = ProxyTable.apply(t, new ServiceDeleted(a.key()));
        assertThat(goneA.changes()).containsExactly(new Close(cluster("10.96.0.10", 80, a.key(), "http")));
        Applied goneB = ProxyTable.apply(goneA.table(), new ServiceDeleted(b.key()));
        assertThat(goneB.changes()).containsExactly(new Close(cluster("10.96.0.10", 81, b.key(), "http")), new RemoveAddress("10.96.0.10"));
    }

    @Test
    void aClusterIpPortClaimedByAnotherServiceIsSetAside() {
        ProxyTable t = ProxyTable.apply(EMPTY, web(readyEndpoints(1))).table();
        ServiceEndpoints thief = service("thief", "10.96.0.10", List.of(new ServicePort("http", 80)), List.of());
        Applied a = ProxyTable.apply(t, thief);
        assertThat(a.rejection()).contains("default/thief: cluster IP 10.96.0.10:80/TCP is already used by default/web");
        assertThat(a.table()).isSameAs(t);
        assertThat(a.changes()).isEmpty();
    }

    @Test
    void aNodePortClaimedByAnotherServiceIsSetAside() {
        ProxyTable t = ProxyTable.apply(EMPTY, webNodePort(30080, List.of())).table();
        ServiceEndpoints other = service("other", "10.96.0.20", List.of(new ServicePort("http", 80).withNodePort(30080)), List.of());
        assertThat(ProxyTable.apply(t, other).rejection()).contains("default/other: nodePort 127.0.0.1:30080/TCP is already used by default/web");
    }

    @Test
    void theSamePortNumberOverTcpAndUdpAreTwoListeners() {
        ServiceEndpoints dns = service("dns", "10.96.0.53",
                List.of(new ServicePort("dns", Protocol.UDP, 53, 0, null), new ServicePort("dns-tcp", Protocol.TCP, 53, 0, null)), List.of());
        Applied a = ProxyTable.apply(EMPTY, dns);
        assertThat(a.rejection()).isEmpty();
        assertThat(a.table().listeners()).hasSize(2);
    }

    @Test
    void aHeadlessServiceGetsNoClusterListener() {
        ServiceEndpoints headless = service("db", "None", List.of(new ServicePort("http", 5432)), readyEndpoints(2));
        Applied a = ProxyTable.apply(EMPTY, headless);
        assertThat(a.changes()).isEmpty();
        assertThat(a.table().service(headless.key())).isPresent();
    }

    @Test
    void aRejectedUpdateKeepsThePreviousVersion() {
        ProxyTable t = ProxyTable.apply(EMPTY, web(readyEndpoints(2))).table();
        ServiceEndpoints bad = service("web", "10.96.0.10", List.of(new ServicePort("http", 70000)), List.of());
        Applied a = ProxyTable.apply(t, bad);
        assertThat(a.rejection()).contains("default/web: port 70000 is out of range 1-65535");
        assertThat(a.table().service(WEB).orElseThrow().endpoints()).hasSize(2);
    }

    @Test
    void nodePortsListenOnTheNodeAddress() {
        ProxyTable t = ProxyTable.empty("192.168.1.7");
        Applied a = ProxyTable.apply(t, webNodePort(31000, List.of()));
        assertThat(a.table().listeners().keySet()).contains(new Listener.Address("192.168.1.7", 31000, Protocol.TCP));
    }

    @Test
    void theTableHoldsAtMostMaxServices() {
        Map<ServiceKey, ServiceEndpoints> full = new java.util.HashMap<>();
        for (int i = 0; i < ProxyTable.MAX_SERVICES; i++) {
            ServiceEndpoints s = service("s-" + i, "None", List.of(new ServicePort("http", 80)), List.of());
            full.put(s.key(), s);
        }
        ProxyTable t = new ProxyTable("127.0.0.1", ProxyTable.NODE_PORT_MIN, ProxyTable.NODE_PORT_MAX, full, Map.of());
        assertThat(ProxyTable.apply(t, web(List.of())).rejection()).contains("default/web: the proxy already holds 10000 Services");
        ServiceEndpoints existing = service("s-7", "None", List.of(new ServicePort("http", 80)), readyEndpoints(1));
        assertThat(ProxyTable.apply(t, existing).rejection()).isEmpty();
    }

    // --- Property: any sequence of updates, replayed as changes, leaves exactly the table's listeners open.

    static Stream<Integer> seeds() {
        return IntStream.range(0, 150).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void changesReplayedFromEmptyAlwaysMatchTheTable(int seed) {
        Random random = new Random(seed);
        ProxyTable table = EMPTY;
        Set<Listener> open = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (int step = 0; step < 60; step++) {
            Applied a = ProxyTable.apply(table, randomUpdate(random));
            if (a.rejection().isPresent()) {
                assertThat(a.table()).isSameAs(table);
                assertThat(a.changes()).isEmpty();
            }
            boolean opening = false;
            for (ListenerChange c : a.changes()) {
                if (c instanceof Close close) {
                    assertThat(opening).as("closes come before opens").isFalse();
                    assertThat(open.remove(close.listener())).as("closes only what is open").isTrue();
                } else if (c instanceof RemoveAddress r) {
                    assertThat(addresses.remove(r.ip())).isTrue();
                    assertThat(open).noneMatch(l -> l.kind() == Kind.CLUSTER_IP && l.host().equals(r.ip()));
                } else if (c instanceof AddAddress add) {
                    assertThat(addresses.add(add.ip())).isTrue();
                } else if (c instanceof Open o) {
                    opening = true;
                    assertThat(open).noneMatch(l -> l.address().equals(o.listener().address()));
                    if (o.listener().kind() == Kind.CLUSTER_IP) {
                        assertThat(addresses).as("address added before binding").contains(o.listener().host());
                    }
                    open.add(o.listener());
                }
            }
            table = a.table();
            assertThat(open).isEqualTo(new HashSet<>(table.listeners().values()));
            Set<Listener> derived = new HashSet<>();
            ProxyTable t = table;
            table.services().values().forEach(s -> derived.addAll(t.listenersOf(s)));
            assertThat(derived).isEqualTo(open);
            Set<String> clusterIps = new HashSet<>();
            open.stream().filter(l -> l.kind() == Kind.CLUSTER_IP).forEach(l -> clusterIps.add(l.host()));
            assertThat(addresses).isEqualTo(clusterIps);
        }
    }

    /** Few names, IPs and ports, so that updates often collide, move and delete. */
    static TableUpdate randomUpdate(Random random) {
        String name = "svc-" + random.nextInt(5);
        if (random.nextInt(5) == 0) {
            return new ServiceDeleted(new ServiceKey("default", name));
        }
        String ip = random.nextInt(6) == 0 ? "None" : "10.96.0." + (10 + random.nextInt(4));
        List<ServicePort> ports = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            int nodePort = random.nextInt(3) == 0 ? 30000 + random.nextInt(4) : 0;
            ports.add(new ServicePort("p" + i, random.nextInt(8) == 0 ? Protocol.UDP : Protocol.TCP, 80 + random.nextInt(3), nodePort, null));
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < random.nextInt(4); i++) {
            endpoints.add(new Endpoint("pod-" + i, "10.244.0." + (i + 2), Map.of("p0", 8080), random.nextBoolean()));
        }
        return new ServiceEndpoints("default", name, ip, ports, endpoints);
    }
}
