package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.EndpointAddress;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.ProxyMetrics;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceTraffic;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy as a Berth service against a real broker, on 127.0.0.1 only: driven through berth.endpoints, judged
 * by answers on its node port and by its records on berth.proxy-metrics.
 */
class ProxyVerticleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestBus bus;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        bus = TestBus.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        TestBus.await(vertx.close());
        bus.close();
    }

    /** Node ports and the cluster IP on loopback, which is local already: no interface, no root. */
    private static String deploy() throws Exception {
        ProxyOptions options = ProxyOptions.forNode("node-1").withDummyInterface(null).withEventLoops(1)
                .withMetricsInterval(Duration.ofSeconds(1)).withDns(null);
        return TestBus.await(vertx.deployVerticle(new ProxyVerticle(bus.config(), options)));
    }

    private static Endpoints web(int port, int nodePort, int backendPort) {
        return new Endpoints(null, "web", "NodePort", "127.0.0.1", List.of(ServicePort.tcp("http", port, 8080).withNodePort(nodePort)),
                List.of(new EndpointAddress("web-1", "node-1", "127.0.0.1", true, Map.of("http", backendPort))));
    }

    private static boolean refuses(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }

    private static String answer(int port) {
        String[] body = new String[1];
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> (body[0] = Backends.get("127.0.0.1", port)) != null);
        return body[0];
    }

    @Test
    void servesTheServiceFromTheTopicCountsItAndClosesOnTheTombstone() throws Exception {
        HttpServer backend = Backends.http(vertx, "web-1");
        int port = Backends.freePort();
        int nodePort = Backends.freeNodePort();
        bus.send(Topic.ENDPOINTS, "web", web(port, nodePort, backend.actualPort()));
        String first = deploy();

        assertThat(answer(nodePort)).isEqualTo("web-1");
        assertThat(answer(port)).as("the cluster IP's port").isEqualTo("web-1");
        ServiceTraffic counted = bus.await(Topic.PROXY_METRICS, ProxyMetrics.class,
                m -> m.node().equals("node-1") && m.services().stream().anyMatch(t -> t.name().equals("web") && t.connections() >= 2),
                WAIT).services().stream().filter(t -> t.name().equals("web")).findFirst().orElseThrow();
        assertThat(counted.namespace()).isEqualTo("default");
        assertThat(counted.requests()).as("port \"http\" counts requests").isGreaterThanOrEqualTo(2);
        assertThat(counted.bytesIn()).isPositive();
        assertThat(counted.bytesOut()).isPositive();
        assertThat(counted.endpoints()).as("the same traffic, per endpoint pod").singleElement().satisfies(e -> {
            assertThat(e.pod()).isEqualTo("web-1");
            assertThat(e.ip()).isEqualTo("127.0.0.1");
            assertThat(e.connections()).isEqualTo(counted.connections());
            assertThat(e.requests()).isEqualTo(counted.requests());
        });
        assertThat(bus.read(Topic.PROXY_METRICS)).allMatch(env -> env.source().equals("proxy/node-1"));

        TestBus.await(vertx.undeploy(first));
        assertThat(refuses(nodePort)).as("stopping closes every listener").isTrue();
        assertThat(refuses(port)).isTrue();

        // A new start reads the compacted topic from its beginning: the Service is back without a new record.
        String second = deploy();
        assertThat(answer(nodePort)).isEqualTo("web-1");

        bus.send(Topic.ENDPOINTS, "web", (String) null);
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> refuses(nodePort) && refuses(port));
        assertThat(Backends.get("127.0.0.1", backend.actualPort())).as("the backend itself is still up").isEqualTo("web-1");
        TestBus.await(vertx.undeploy(second));
        TestBus.await(backend.close());
    }

    @Test
    void measuredItTimesTheServicesRequestsOnItsMetricsPage() throws Exception {
        HttpServer backend = Backends.http(vertx, "timed-1");
        int nodePort = Backends.freeNodePort();
        bus.send(Topic.ENDPOINTS, "timed", new Endpoints(null, "timed", "NodePort", "None",
                List.of(ServicePort.tcp("http", 80, 8080).withNodePort(nodePort)),
                List.of(new EndpointAddress("timed-1", "node-m", "127.0.0.1", true, Map.of("http", backend.actualPort())))));
        ProxyOptions options = ProxyOptions.forNode("node-m").withDummyInterface(null).withEventLoops(1).withDns(null);
        try (dev.berth.bus.metrics.ServiceMetrics metrics = dev.berth.bus.metrics.ServiceMetrics.ofNode("proxy", "node-m")) {
            String id = TestBus.await(vertx.deployVerticle(new ProxyVerticle(bus.config(), options).measuredBy(metrics)));
            assertThat(answer(nodePort)).isEqualTo("timed-1");
            assertThat(Backends.get("127.0.0.1", nodePort)).isEqualTo("timed-1");
            Map<String, String> labels = Map.of("namespace", "default", "service_name", "timed");
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> dev.berth.bus.testing.PrometheusText.sum(
                    dev.berth.bus.testing.PrometheusText.parse(metrics.scrape()), "berth_proxy_request_duration_seconds_count", labels) >= 2);
            assertThat(dev.berth.bus.testing.PrometheusText.sum(dev.berth.bus.testing.PrometheusText.parse(metrics.scrape()),
                    "berth_proxy_request_duration_seconds_sum", labels)).isPositive();
            TestBus.await(vertx.undeploy(id));
        }
        bus.send(Topic.ENDPOINTS, "timed", (String) null);
        TestBus.await(backend.close());
    }

    private static List<String> lookUp(int port, boolean tcp, String name) throws IOException {
        org.xbill.DNS.SimpleResolver resolver = new org.xbill.DNS.SimpleResolver("127.0.0.1");
        resolver.setPort(port);
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(2));
        org.xbill.DNS.Message m = resolver.send(org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromString(name), org.xbill.DNS.Type.A, org.xbill.DNS.DClass.IN)));
        List<String> out = new ArrayList<>();
        out.add(org.xbill.DNS.Rcode.string(m.getRcode()));
        for (org.xbill.DNS.Record r : m.getSection(org.xbill.DNS.Section.ANSWER)) out.add(((org.xbill.DNS.ARecord) r).getAddress().getHostAddress());
        return out;
    }

    @Test
    void answersTheClusterDnsFromTheTopicOverUdpAndTcp() throws Exception {
        ProxyOptions options = ProxyOptions.forNode("node-dns").withDummyInterface(null).withEventLoops(1)
                .withDns(ClusterDnsOptions.DEFAULT.withAddress("127.0.0.1", 0));
        ProxyVerticle proxy = new ProxyVerticle(bus.config(), options);
        String id = TestBus.await(vertx.deployVerticle(proxy));
        // NodePort: the bus contract's Endpoints check wants a node port on every port, whatever the type
        bus.send(Topic.ENDPOINTS, "shop/cart", new Endpoints("shop", "cart", "NodePort", "10.96.3.4",
                List.of(ServicePort.tcp("http", 80, 8080).withNodePort(Backends.freeNodePort())), List.of()));
        String name = "cart.shop.svc.cluster.local.";
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> lookUp(proxy.dnsPort(), false, name).equals(List.of("NOERROR", "10.96.3.4")));
        assertThat(lookUp(proxy.dnsTcpPort(), true, name)).containsExactly("NOERROR", "10.96.3.4");
        assertThat(lookUp(proxy.dnsPort(), false, "gone.shop.svc.cluster.local.")).containsExactly("NXDOMAIN");
        bus.send(Topic.ENDPOINTS, "shop/cart", (String) null);
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> lookUp(proxy.dnsPort(), false, name).equals(List.of("NXDOMAIN")));
        int port = proxy.dnsPort();
        TestBus.await(vertx.undeploy(id));
        assertThatThrownBy(() -> lookUp(port, false, name)).as("stopped: nobody answers").isInstanceOf(IOException.class);
    }

    @Test
    void aRecordUnderAnotherKeyIsSetAsideAndNotServed() throws Exception {
        int nodePort = Backends.freeNodePort();
        Endpoints wrong = new Endpoints("shop", "api", "NodePort", "None",
                List.of(ServicePort.tcp("http", 80, 8080).withNodePort(nodePort)), List.of());
        bus.send(Topic.ENDPOINTS, "api", wrong);
        String id = deploy();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<String> letters = new ArrayList<>();
            LogReader.readAll(bus.config(), List.of(Topic.DEAD_LETTERS), r -> letters.add(r.value()));
            return letters.stream().anyMatch(l -> l.contains("Endpoints of shop/api under the record key api"));
        });
        assertThatThrownBy(() -> Backends.get("127.0.0.1", nodePort)).isInstanceOf(IOException.class);
        TestBus.await(vertx.undeploy(id));
    }
}
