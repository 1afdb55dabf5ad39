package dev.berth.proxy.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.EndpointAddress;
import dev.berth.bus.contract.Endpoints;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contract Endpoints (berth.endpoints) to the proxy table's updates, and what the table then listens on. */
class EndpointsMappingTest {
    static dev.berth.bus.contract.ServicePort port(String name, int port, int nodePort, String appProtocol) {
        return new dev.berth.bus.contract.ServicePort(name, "TCP", port, 0, null, nodePort, appProtocol);
    }

    static EndpointAddress pod(String name, String ip, boolean ready, Map<String, Integer> targetPorts) {
        return new EndpointAddress(name, "node-1", ip, ready, targetPorts);
    }

    static List<Listener> listeners(ServiceEndpoints s) {
        Applied applied = ProxyTable.apply(ProxyTable.empty("127.0.0.1"), s);
        assertThat(applied.rejection()).isEmpty();
        return applied.table().listeners().values().stream().sorted(java.util.Comparator.comparing(Listener::toString)).toList();
    }

    @Test
    void unnamedSinglePortIsKeyedByTheEmptyName() {
        Endpoints e = new Endpoints(null, "web", "ClusterIP", "10.96.0.10", List.of(port(null, 80, 0, null)),
                List.of(pod("web-1", "10.244.1.9", true, Map.of("", 8080))));
        ServiceEndpoints s = EndpointsMapping.update(e);
        assertThat(s.key()).isEqualTo(new ServiceKey("default", "web"));
        assertThat(s.ports()).containsExactly(new ServicePort("", Protocol.TCP, 80, 0, null));
        assertThat(s.endpoints()).containsExactly(new Endpoint("web-1", "10.244.1.9", Map.of("", 8080), true));
        assertThat(s.endpoints().get(0).targetPort(s.ports().get(0).name())).isEqualTo(8080);
        assertThat(listeners(s)).extracting(Listener::kind, Listener::host, Listener::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Listener.Kind.CLUSTER_IP, "10.96.0.10", 80));
    }

    @Test
    void namedPortsKeepTheirNamesProtocolsAndAppProtocol() {
        Endpoints e = new Endpoints("shop", "api", "ClusterIP", "10.96.0.11",
                List.of(port("http", 80, 0, "http"), new dev.berth.bus.contract.ServicePort("dns", "UDP", 53, 53, null, 0, null)),
                List.of(pod("api-1", "10.244.1.2", true, Map.of("http", 8080, "dns", 53))));
        ServiceEndpoints s = EndpointsMapping.update(e);
        assertThat(s.key()).isEqualTo(new ServiceKey("shop", "api"));
        assertThat(s.ports()).containsExactly(new ServicePort("http", Protocol.TCP, 80, 0, "http"),
                new ServicePort("dns", Protocol.UDP, 53, 0, null));
        assertThat(s.port("http").orElseThrow().speaksHttp()).isTrue();
    }

    @Test
    void nodePortServiceListensOnTheClusterIPAndTheNodeAddress() {
        Endpoints e = new Endpoints(null, "web", "NodePort", "10.96.0.10", List.of(port("http", 80, 30080, null)),
                List.of(pod("web-1", "10.244.1.9", true, Map.of("http", 8080))));
        ServiceEndpoints s = EndpointsMapping.update(e);
        assertThat(s.ports().get(0).nodePort()).isEqualTo(30080);
        assertThat(listeners(s)).extracting(Listener::kind, Listener::host, Listener::port).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Listener.Kind.CLUSTER_IP, "10.96.0.10", 80),
                org.assertj.core.groups.Tuple.tuple(Listener.Kind.NODE_PORT, "127.0.0.1", 30080));
    }

    @Test
    void aNodePortOnAClusterIPServiceIsIgnored() {
        Endpoints e = new Endpoints(null, "web", "ClusterIP", "10.96.0.10", List.of(port("http", 80, 30080, null)), List.of());
        assertThat(EndpointsMapping.update(e).ports().get(0).nodePort()).isZero();
    }

    @Test
    void headlessServiceGetsNoListener() {
        Endpoints e = new Endpoints(null, "db", "ClusterIP", "None", List.of(port("pg", 5432, 0, null)),
                List.of(pod("db-0", "10.244.1.3", true, Map.of("pg", 5432))));
        ServiceEndpoints s = EndpointsMapping.update(e);
        assertThat(s.headless()).isTrue();
        assertThat(listeners(s)).isEmpty();
    }

    @Test
    void notReadyEndpointsStayListedAsNotReady() {
        Endpoints e = new Endpoints(null, "web", "ClusterIP", "10.96.0.10", List.of(port("http", 80, 0, null)),
                List.of(pod("web-1", "10.244.1.9", false, Map.of("http", 8080)), pod("web-2", "10.244.1.10", true, Map.of("http", 8080)),
                        pod("web-3", "10.244.1.11", true, Map.of())));
        ServiceEndpoints s = EndpointsMapping.update(e);
        assertThat(s.endpoints()).extracting(Endpoint::pod, Endpoint::ready).containsExactly(
                org.assertj.core.groups.Tuple.tuple("web-1", false), org.assertj.core.groups.Tuple.tuple("web-2", true),
                org.assertj.core.groups.Tuple.tuple("web-3", true));
        assertThat(s.endpoints().get(2).targetPort("http")).as("a pod without the named port does not serve it").isZero();
    }

    @Test
    void tombstoneKeysNameTheServiceInItsNamespace() {
        assertThat(EndpointsMapping.deleted("web")).isEqualTo(new ServiceDeleted(new ServiceKey("default", "web")));
        assertThat(EndpointsMapping.deleted("shop/api")).isEqualTo(new ServiceDeleted(new ServiceKey("shop", "api")));
        assertThat(EndpointsMapping.recordKey(new ServiceKey("default", "web"))).isEqualTo("web");
        assertThat(EndpointsMapping.recordKey(new ServiceKey("shop", "api"))).isEqualTo("shop/api");
    }

    @Test
    void deletionAfterTheUpdateClosesEveryListener() {
        Endpoints e = new Endpoints("shop", "web", "NodePort", "10.96.0.10", List.of(port("http", 80, 30080, null)), List.of());
        ProxyTable table = ProxyTable.apply(ProxyTable.empty("127.0.0.1"), EndpointsMapping.update(e)).table();
        Applied gone = ProxyTable.apply(table, EndpointsMapping.deleted(e.key()));
        assertThat(gone.table().listeners()).isEmpty();
        assertThat(gone.changes()).filteredOn(c -> c instanceof ListenerChange.Close).hasSize(2);
    }
}
