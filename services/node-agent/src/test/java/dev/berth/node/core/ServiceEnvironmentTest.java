package dev.berth.node.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.ServicePort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {
    private static Endpoints svc(String ns, String name, String ip, ServicePort... ports) {
        return new Endpoints(ns, name, "ClusterIP", ip, List.of(ports), List.of());
    }

    private static ServiceDirectory of(Endpoints... all) {
        ServiceDirectory d = ServiceDirectory.EMPTY;
        for (Endpoints e : all) d = d.put(e);
        return d;
    }

    @Test
    void aServiceGivesKubernetesVariablesAndDockerLinks() {
        ServiceDirectory d = of(svc("default", "redis-primary", "10.96.1.7", ServicePort.tcp(null, 6379, 6379)));
        assertThat(ServiceEnvironment.variables("default", d)).containsExactly(
                entry("REDIS_PRIMARY_PORT", "tcp://10.96.1.7:6379"),
                entry("REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.96.1.7:6379"),
                entry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.96.1.7"),
                entry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379"),
                entry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp"),
                entry("REDIS_PRIMARY_SERVICE_HOST", "10.96.1.7"),
                entry("REDIS_PRIMARY_SERVICE_PORT", "6379"));
    }

    @Test
    void namedPortsGetTheirOwnVariableAndTheFirstPortIsTheServicePort() {
        ServiceDirectory d = of(svc("shop", "web", "10.96.2.2", ServicePort.tcp("http", 80, 8080),
                new ServicePort("dns-udp", "UDP", 53, 53, null, 0, null)));
        Map<String, String> env = ServiceEnvironment.variables("shop", d);
        assertThat(env).contains(entry("WEB_SERVICE_PORT", "80"), entry("WEB_SERVICE_PORT_HTTP", "80"),
                entry("WEB_SERVICE_PORT_DNS_UDP", "53"), entry("WEB_PORT", "tcp://10.96.2.2:80"),
                entry("WEB_PORT_53_UDP", "udp://10.96.2.2:53"), entry("WEB_PORT_53_UDP_PROTO", "udp"));
        assertThat(env).hasSize(2 + 2 + 1 + 2 * 4);
    }

    @Test
    void onlyThePodsNamespaceAndHeadlessServicesGiveNone() {
        ServiceDirectory d = of(svc("default", "web", "10.96.1.1", ServicePort.tcp(null, 80, 80)),
                svc("shop", "cart", "10.96.1.2", ServicePort.tcp(null, 80, 80)),
                svc("shop", "db", "None", ServicePort.tcp(null, 5432, 5432)));
        Map<String, String> env = ServiceEnvironment.variables("shop", d);
        assertThat(env).containsKey("CART_SERVICE_HOST").doesNotContainKey("WEB_SERVICE_HOST").doesNotContainKey("DB_SERVICE_HOST");
        assertThat(env.keySet()).allMatch(k -> k.startsWith("CART_"));
        assertThat(ServiceEnvironment.variables("default", d)).containsKey("WEB_SERVICE_HOST").doesNotContainKey("CART_SERVICE_HOST");
        assertThat(ServiceEnvironment.variables("empty", d)).isEmpty();
    }

    @Test
    void theKubernetesServiceOfDefaultIsSeenFromEveryNamespace() {
        ServiceDirectory d = of(svc("default", "kubernetes", "10.96.0.1", ServicePort.tcp("https", 443, 6443)));
        assertThat(ServiceEnvironment.variables("shop", d)).contains(entry("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
                entry("KUBERNETES_SERVICE_PORT_HTTPS", "443"));
    }

    @Test
    void thePodsOwnEnvWins() {
        ServiceDirectory d = of(svc("default", "web", "10.96.1.1", ServicePort.tcp(null, 80, 80)));
        Map<String, String> env = ServiceEnvironment.withServices(Map.of("WEB_SERVICE_HOST", "mine", "A", "1"), "default", d);
        assertThat(env).contains(entry("WEB_SERVICE_HOST", "mine"), entry("A", "1"), entry("WEB_SERVICE_PORT", "80"));
    }

    @Test
    void aDeletedServiceIsGoneAndAReplacedOneSeenAsItIsNow() {
        ServiceDirectory d = of(svc("default", "web", "10.96.1.1", ServicePort.tcp(null, 80, 80)));
        d = d.put(svc("default", "web", "10.96.1.9", ServicePort.tcp(null, 81, 80)));
        assertThat(ServiceEnvironment.variables("default", d)).contains(entry("WEB_SERVICE_HOST", "10.96.1.9"), entry("WEB_SERVICE_PORT", "81"));
        assertThat(ServiceEnvironment.variables("default", d.remove("web"))).isEmpty();
    }

    @Test
    void boundedByServicesAndByTheDirectory() {
        ServiceDirectory d = ServiceDirectory.EMPTY;
        for (int i = 0; i < ServiceEnvironment.MAX_SERVICES + 20; i++) {
            d = d.put(svc("default", String.format("s%04d", i), "10.96.3." + (i % 250 + 1), ServicePort.tcp(null, 80, 80)));
        }
        assertThat(ServiceEnvironment.variables("default", d).keySet().stream().filter(k -> k.endsWith("_SERVICE_HOST")))
                .hasSize(ServiceEnvironment.MAX_SERVICES);
        ServiceDirectory full = ServiceDirectory.EMPTY;
        for (int i = 0; i < ServiceDirectory.MAX_SERVICES + 5; i++) full = full.put(svc("ns", "s" + i, "10.96.0.2", ServicePort.tcp(null, 80, 80)));
        assertThat(full.size()).isEqualTo(ServiceDirectory.MAX_SERVICES);
    }

    @Test
    void theDirectoryKeepsNoEndpoints() {
        Endpoints e = new Endpoints("default", "web", "ClusterIP", "10.96.1.1", List.of(ServicePort.tcp(null, 80, 80)),
                List.of(new dev.berth.bus.contract.EndpointAddress("web-1", "node-1", "10.244.0.2", true, Map.of())));
        assertThat(ServiceDirectory.EMPTY.put(e).services().get("web").endpoints()).isEmpty();
    }

    @Test
    void resolvConfIsKubernetesClusterFirst() {
        assertThat(ResolvConf.of("10.96.0.10", "shop")).endsWith("nameserver 10.96.0.10\n"
                + "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
                + "options ndots:5\n");
        assertThat(ResolvConf.of("10.96.0.10", null)).contains("search default.svc.cluster.local ");
    }
}
