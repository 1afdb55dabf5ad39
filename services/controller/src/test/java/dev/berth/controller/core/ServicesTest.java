package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.ApplyNamespace;
import dev.berth.bus.contract.ApplyService;
import dev.berth.bus.contract.DeleteNamespace;
import dev.berth.bus.contract.DeleteService;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.ServiceApplied;
import dev.berth.bus.contract.ServiceDeleted;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ApplyService and DeleteService: Kubernetes' answers, cluster IP and nodePort allocation, and their rebuild. */
class ServicesTest {
    private final Harness h = Harness.withImages("busybox");

    static ServiceSpec clusterIP(String namespace, String name, String ip) {
        return new ServiceSpec(namespace, name, null, ip, Map.of("app", name), List.of(ServicePort.tcp(null, 80, 8080)), Map.of());
    }

    static ServiceSpec nodePort(String name, int... nodePorts) {
        List<ServicePort> ports = new java.util.ArrayList<>();
        for (int i = 0; i < nodePorts.length; i++) ports.add(new ServicePort("p" + i, "TCP", 80 + i, 0, null, nodePorts[i], null));
        return new ServiceSpec(null, name, ServiceSpec.NODE_PORT, null, Map.of("app", name), ports, Map.of());
    }

    private ServiceSpec applied(ServiceSpec spec) {
        List<Event> events = h.command(new ApplyService(spec));
        assertThat(events).hasSize(2).last().isInstanceOf(dev.berth.bus.contract.CommandAccepted.class);
        return ((ServiceApplied) events.get(0)).service();
    }

    private String rejected(ServiceSpec spec) { return h.rejected(new ApplyService(spec)).reason(); }

    @Test
    void aNewServiceGetsTheLowestFreeIpOfTheUpperBandAndIsAnnouncedCreated() {
        List<Event> events = h.command(new ApplyService(clusterIP(null, "web", null)));

        assertThat(events.get(0)).isInstanceOf(ServiceApplied.class);
        String ip = ((ServiceApplied) events.get(0)).service().clusterIP();
        assertThat(ip).isEqualTo(h.state.clusterIps().clusterIpOf("default/web").orElseThrow()).startsWith("10.96.");
        assertThat(((dev.berth.bus.contract.CommandAccepted) events.get(1)).message()).isEqualTo("service/web created");
        assertThat(h.state.service("web")).map(s -> s.spec().clusterIP()).contains(ip);
        assertThat(Outputs.route(events.get(0)).topic()).isEqualTo(dev.berth.bus.Topic.SERVICES);
        assertThat(Outputs.route(events.get(0)).key()).isEqualTo("web");
    }

    @Test
    void twoServicesGetDifferentIps() {
        assertThat(applied(clusterIP(null, "a", null)).clusterIP()).isNotEqualTo(applied(clusterIP(null, "b", null)).clusterIP());
    }

    @Test
    void aRequestedIpIsHonouredOnceAndRejectedForAnotherService() {
        assertThat(applied(clusterIP(null, "a", "10.96.0.20")).clusterIP()).isEqualTo("10.96.0.20");
        assertThat(rejected(clusterIP(null, "b", "10.96.0.20")))
                .isEqualTo("spec.clusterIP: Invalid value: \"10.96.0.20\": provided IP is already allocated");
        assertThat(rejected(clusterIP(null, "b", "10.0.0.1"))).contains("provided IP is not in the valid range");
        assertThat(h.state.service("b")).isEmpty();
    }

    @Test
    void aHeadlessServiceHoldsNoIp() {
        assertThat(applied(clusterIP(null, "db", "None")).clusterIP()).isEqualTo("None");
        assertThat(h.state.clusterIps().allocated()).isZero();
        // Re-applied without a clusterIP it stays headless.
        assertThat(h.accepted(new ApplyService(clusterIP(null, "db", null))).message()).isEqualTo("service/db unchanged");
    }

    @Test
    void theClusterIpIsImmutable() {
        String ip = applied(clusterIP(null, "web", null)).clusterIP();
        assertThat(rejected(clusterIP(null, "web", "10.96.0.20"))).isEqualTo("spec.clusterIP: Invalid value: \"10.96.0.20\": field is immutable");
        assertThat(rejected(clusterIP(null, "web", "None"))).isEqualTo("spec.clusterIP: Invalid value: \"None\": field is immutable");
        assertThat(h.accepted(new ApplyService(clusterIP(null, "web", ip))).message()).isEqualTo("service/web unchanged");
    }

    @Test
    void reApplyKeepsTheIpAndSaysConfiguredWhenTheSpecChanged() {
        String ip = applied(clusterIP(null, "web", null)).clusterIP();
        ServiceSpec changed = clusterIP(null, "web", null).withPorts(List.of(ServicePort.tcp(null, 81, 8080)));
        List<Event> events = h.command(new ApplyService(changed));

        assertThat(((ServiceApplied) events.get(0)).service().clusterIP()).isEqualTo(ip);
        assertThat(((dev.berth.bus.contract.CommandAccepted) events.get(1)).message()).isEqualTo("service/web configured");
        assertThat(h.accepted(new ApplyService(changed)).message()).isEqualTo("service/web unchanged");
    }

    @Test
    void nodePortsAreAllocatedHonouredAndClashesRejected() {
        ServiceSpec a = applied(nodePort("a", 30080, 0));
        assertThat(a.ports().get(0).nodePort()).isEqualTo(30080);
        assertThat(a.ports().get(1).nodePort()).isBetween(30000, 32767).isNotEqualTo(30080);

        assertThat(rejected(nodePort("b", 30080))).isEqualTo("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
        assertThat(rejected(nodePort("b", 80))).contains("provided port is not in the valid range. The range of valid ports is 30000-32767");
    }

    @Test
    void reApplyKeepsChosenNodePortsUnlessOthersAreAsked() {
        ServiceSpec first = applied(nodePort("a", 0, 0));
        assertThat(h.accepted(new ApplyService(nodePort("a", 0, 0))).message()).isEqualTo("service/a unchanged");

        ServiceSpec moved = applied(nodePort("a", 31000, 0));
        assertThat(moved.ports().get(0).nodePort()).isEqualTo(31000);
        assertThat(moved.ports().get(1).nodePort()).isIn(first.ports().get(0).nodePort(), first.ports().get(1).nodePort());
        assertThat(h.state.nodePorts().allocated()).isEqualTo(2);
    }

    @Test
    void aServiceThatStopsBeingNodePortFreesItsPorts() {
        applied(nodePort("a", 30080));
        ServiceSpec plain = new ServiceSpec(null, "a", null, null, Map.of("app", "a"), List.of(new ServicePort("p0", "TCP", 80, 0, null, 0, null)), Map.of());
        assertThat(applied(plain).ports().get(0).nodePort()).isZero();
        assertThat(h.state.nodePorts().allocated()).isZero();
        applied(nodePort("b", 30080));
    }

    @Test
    void nodePortsOnAClusterIpServiceAndHeadlessNodePortAreRejected() {
        ServiceSpec withPort = clusterIP(null, "a", null).withPorts(List.of(new ServicePort(null, "TCP", 80, 0, null, 30080, null)));
        assertThat(rejected(withPort)).isEqualTo("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
        assertThat(rejected(nodePort("b", 0).withClusterIP("None"))).contains("may not be set to 'None'");
        ServiceSpec twoPorts = clusterIP(null, "c", null).withPorts(List.of(new ServicePort("a", "TCP", 80, 0, null, 30080, null),
                new ServicePort("b", "TCP", 81, 0, null, 30081, null)));
        assertThat(rejected(twoPorts)).startsWith("service 'c' has 2 problems: spec.ports[0].nodePort: Forbidden");
    }

    @Test
    void deleteFreesTheIpAndPortsAndUnknownDeleteIsRejected() {
        ServiceSpec a = applied(nodePort("a", 30080));
        List<Event> events = h.command(new DeleteService(null, "a"));

        assertThat(events.get(0)).isEqualTo(new ServiceDeleted("default", "a"));
        assertThat(((dev.berth.bus.contract.CommandAccepted) events.get(1)).message()).isEqualTo("service \"a\" deleted");
        assertThat(h.state.services()).isEmpty();
        assertThat(h.state.clusterIps().allocated()).isZero();
        assertThat(applied(clusterIP(null, "c", a.clusterIP())).clusterIP()).isEqualTo(a.clusterIP());
        assertThat(applied(nodePort("b", 30080)).ports().get(0).nodePort()).isEqualTo(30080);

        assertThat(h.rejected(new DeleteService(null, "a")).reason()).isEqualTo("services \"a\" not found");
    }

    @Test
    void aServiceNeedsItsNamespace() {
        assertThat(rejected(clusterIP("shop", "web", null))).isEqualTo("namespaces \"shop\" not found");
        h.accepted(new ApplyNamespace("shop"));
        applied(clusterIP("shop", "web", null));
        assertThat(h.state.service("shop/web")).isPresent();
        // Same name in another namespace: another Service with its own address.
        assertThat(applied(clusterIP(null, "web", null)).clusterIP()).isNotEqualTo(h.state.service("shop/web").get().spec().clusterIP());
    }

    @Test
    void deletingANamespaceDeletesItsServices() {
        h.accepted(new ApplyNamespace("shop"));
        applied(clusterIP("shop", "web", null));
        applied(clusterIP(null, "web", null));

        List<Event> events = h.command(new DeleteNamespace("shop"));

        assertThat(events).contains(new ServiceDeleted("shop", "web"));
        assertThat(h.state.services().keySet()).containsExactly("web");
        assertThat(h.state.clusterIps().allocated()).isEqualTo(1);
        // Nothing else was in it, so it is gone at once.
        assertThat(rejected(clusterIP("shop", "api", null))).isEqualTo("namespaces \"shop\" not found");
    }

    @Test
    void theLogRebuildsServicesAndTheirAllocations() {
        applied(clusterIP(null, "a", "10.96.0.20"));
        applied(nodePort("b", 30080, 0));
        applied(clusterIP(null, "c", null));
        h.command(new DeleteService(null, "c"));

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);

        assertThat(rebuilt.services()).isEqualTo(h.state.services());
        assertThat(rebuilt.clusterIps()).isEqualTo(h.state.clusterIps());
        assertThat(rebuilt.nodePorts()).isEqualTo(h.state.nodePorts());
        assertThat(rebuilt).isEqualTo(h.state);
    }

    @Test
    void aRedeliveredApplyGetsTheSameAnswerAndAllocatesNothingMore() {
        dev.berth.bus.Envelope env = dev.berth.bus.Envelope.command(new ApplyService(clusterIP(null, "a", null)), "test", h.now);
        h.command(env);
        List<Event> again = h.command(env);
        assertThat(again).singleElement().isInstanceOf(dev.berth.bus.contract.CommandAccepted.class);
        assertThat(h.state.clusterIps().allocated()).isEqualTo(1);
    }

    @Test
    void theServiceCidrComesFromTheOptions() {
        Harness small = new Harness();
        small.state = ControllerState.empty(ClusterIpAllocator.of("192.168.0.0/24"), NodePortAllocator.of(31000, 31010));
        List<Event> events = small.command(new ApplyService(nodePort("a", 0)));
        ServiceSpec s = ((ServiceApplied) events.get(0)).service();
        assertThat(s.clusterIP()).startsWith("192.168.0.");
        assertThat(s.ports().get(0).nodePort()).isBetween(31000, 31010);
    }
}
