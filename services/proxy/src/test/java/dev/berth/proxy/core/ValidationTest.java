package dev.berth.proxy.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValidationTest {
    static final List<ServicePort> HTTP = List.of(new ServicePort("http", 80));

    static ServiceEndpoints svc(String ns, String name, String ip, List<ServicePort> ports, List<Endpoint> endpoints) {
        return new ServiceEndpoints(ns, name, ip, ports, endpoints);
    }

    static Endpoint ep(String pod, String ip, Map<String, Integer> ports) {
        return new Endpoint(pod, ip, ports, true);
    }

    static List<Endpoint> many(int n) {
        List<Endpoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ep("p-" + i, "10.244." + (i / 250) + "." + (i % 250 + 1), Map.of("http", 80)));
        }
        return out;
    }

    static List<ServicePort> ports(int n) {
        List<ServicePort> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ServicePort("p" + i, 1000 + i));
        }
        return out;
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of(svc("Default", "web", "10.96.0.1", HTTP, List.of()), "namespace \"Default\" is not a DNS label"),
                Arguments.of(svc("", "web", "10.96.0.1", HTTP, List.of()), "namespace \"\" is not a DNS label"),
                Arguments.of(svc(null, "web", "10.96.0.1", HTTP, List.of()), "namespace \"null\" is not a DNS label"),
                Arguments.of(svc("default", "web_1", "10.96.0.1", HTTP, List.of()), "service name \"web_1\" is not a DNS label"),
                Arguments.of(svc("default", "-web", "10.96.0.1", HTTP, List.of()), "service name \"-web\" is not a DNS label"),
                Arguments.of(svc("default", "a".repeat(64), "10.96.0.1", HTTP, List.of()), "is not a DNS label"),
                Arguments.of(svc("default", "web", "10.96.0.256", HTTP, List.of()), "clusterIP \"10.96.0.256\" is not an IPv4 address"),
                Arguments.of(svc("default", "web", "example.com", HTTP, List.of()), "clusterIP \"example.com\" is not an IPv4 address"),
                Arguments.of(svc("default", "web", "fd00::1", HTTP, List.of()), "is not an IPv4 address"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(), List.of()), "service has no ports"),
                Arguments.of(svc("default", "web", "10.96.0.1", ports(101), List.of()), "101 ports, at most 100"),
                Arguments.of(svc("default", "web", "10.96.0.1", HTTP, many(1001)), "1001 endpoints, at most 1000"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("http", 0)), List.of()), "port 0 is out of range 1-65535"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("http", 65536)), List.of()), "port 65536 is out of range"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("http", -1)), List.of()), "port -1 is out of range"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("http", 80), new ServicePort("http", 81)), List.of()),
                        "port name \"http\" is used twice"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("a", 80), new ServicePort("b", 80)), List.of()),
                        "port 80/TCP is used twice"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("", 80), new ServicePort("b", 81)), List.of()),
                        "several ports must each be named"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("a-very-long-port-name", 80)), List.of()),
                        "port name \"a-very-long-port-name\" is not a valid name"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("http", null, 80, 0, null)), List.of()),
                        "port \"http\" has no protocol"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("http", 80).withNodePort(29999)), List.of()),
                        "nodePort 29999 is out of range 30000-32767"),
                Arguments.of(svc("default", "web", "10.96.0.1", List.of(new ServicePort("http", 80).withNodePort(32768)), List.of()),
                        "nodePort 32768 is out of range"),
                Arguments.of(svc("default", "web", "10.96.0.1",
                                List.of(new ServicePort("a", 80).withNodePort(30001), new ServicePort("b", 81).withNodePort(30001)), List.of()),
                        "nodePort 30001/TCP is used twice"),
                Arguments.of(svc("default", "web", "10.96.0.1", HTTP, List.of(ep("a", "10.244.0.2", Map.of()), ep("a", "10.244.0.3", Map.of()))),
                        "endpoint pod \"a\" is listed twice"),
                Arguments.of(svc("default", "web", "10.96.0.1", HTTP, List.of(ep("A b", "10.244.0.2", Map.of()))),
                        "endpoint pod name \"A b\" is not valid"),
                Arguments.of(svc("default", "web", "10.96.0.1", HTTP, List.of(ep("a", "10.244.0", Map.of()))),
                        "endpoint a has IP \"10.244.0\", not an IPv4 address"),
                Arguments.of(svc("default", "web", "10.96.0.1", HTTP, List.of(ep("a", "10.244.0.2", Map.of("grpc", 80)))),
                        "endpoint a names port \"grpc\" the service does not have"),
                Arguments.of(svc("default", "web", "10.96.0.1", HTTP, List.of(ep("a", "10.244.0.2", Map.of("http", 0)))),
                        "endpoint a target port 0 is out of range 1-65535"),
                Arguments.of(svc("default", "web", "10.96.0.1", HTTP, List.of(ep("a", "10.244.0.2", Map.of("http", 100000)))),
                        "endpoint a target port 100000 is out of range"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("bad")
    void badServicesAreSetAsideWithTheirReason(ServiceEndpoints s, String reason) {
        assertThat(Validation.problem(s, ProxyTable.NODE_PORT_MIN, ProxyTable.NODE_PORT_MAX)).hasValueSatisfying(p -> assertThat(p).contains(reason));
        Applied a = ProxyTable.apply(ProxyTable.empty("127.0.0.1"), s);
        assertThat(a.rejection()).hasValueSatisfying(p -> assertThat(p).contains(reason));
        assertThat(a.table().services()).isEmpty();
    }

    static Stream<ServiceEndpoints> good() {
        return Stream.of(
                svc("default", "web", "10.96.0.1", HTTP, List.of()),
                svc("default", "web", "None", HTTP, List.of()),
                svc("default", "web", null, HTTP, List.of()),
                svc("kube-system", "kube-dns", "10.96.0.10", List.of(new ServicePort("", 53)), List.of()),
                svc("default", "web", "10.96.0.1", ports(100), List.of()),
                svc("default", "web", "10.96.0.1", HTTP, many(1000)),
                svc("default", "web", "10.96.0.1", List.of(new ServicePort("http", 65535).withNodePort(32767)), List.of()),
                svc("default", "web", "10.96.0.1", List.of(new ServicePort("http", 1).withNodePort(30000)), List.of()),
                svc("default", "web", "10.96.0.1", HTTP, List.of(ep("web-7d9f8-abcde", "10.244.1.9", Map.of("http", 8080)))),
                svc("default", "web", "10.96.0.1", HTTP, List.of(ep("a", "10.244.0.2", Map.of()))));
    }

    @ParameterizedTest
    @MethodSource("good")
    void goodServicesPass(ServiceEndpoints s) {
        assertThat(Validation.problem(s, ProxyTable.NODE_PORT_MIN, ProxyTable.NODE_PORT_MAX)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.96.0.1", "255.255.255.255", "127.0.0.1", "1.2.3.4"})
    void ipv4(String ip) {
        assertThat(Validation.isIPv4(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "1..2.3", "1.2.3.4 ",
            " 1.2.3.4", "::1", "1.2.3.4/32", "localhost", "1234.1.1.1", "１.2.3.4"})
    void notIpv4(String ip) {
        assertThat(Validation.isIPv4(ip)).isFalse();
    }

    @Test
    void nullIsNotAnAddress() {
        assertThat(Validation.isIPv4(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "http-api", "HTTP", "http-metrics"})
    void portsNamedHttpCountRequests(String name) {
        assertThat(new ServicePort(name, 80).speaksHttp()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https", "grpc", "web", "", "h2"})
    void otherPortNamesDoNot(String name) {
        assertThat(new ServicePort(name, 80).speaksHttp()).isFalse();
    }

    @Test
    void appProtocolWinsOverTheName() {
        assertThat(new ServicePort("web", Protocol.TCP, 80, 0, "http").speaksHttp()).isTrue();
        assertThat(new ServicePort("http", Protocol.TCP, 80, 0, "kubernetes.io/h2c").speaksHttp()).isFalse();
        assertThat(new ServicePort("http", Protocol.UDP, 80, 0, null).speaksHttp()).isFalse();
    }
}
