package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Limits;
import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.EndpointAddress;
import dev.berth.bus.contract.EndpointTraffic;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.ProxyMetrics;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceTraffic;
import dev.berth.proxy.core.ServiceDeleted;
import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The proxy's loop core, called directly: records become table updates, ticks become ProxyMetrics. */
class ProxyCoreTest {
    static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");
    final ProxyCore core = new ProxyCore("node-1");

    static Endpoints web(String namespace) {
        return new Endpoints(namespace, "web", "NodePort", "10.96.0.10", List.of(ServicePort.tcp("http", 80, 8080).withNodePort(30080)),
                List.of(new EndpointAddress("web-1", "node-1", "10.244.1.9", true, Map.of("http", 8080))));
    }

    static RawRecord raw(String key, String value) {
        return new RawRecord(Topic.ENDPOINTS.topicName(), 0, 7, NOW.toEpochMilli(), key, value, value == null ? 0 : value.length());
    }

    @Test
    void anEndpointsRecordBecomesOneTableUpdateAndNoOutput() {
        Endpoints e = web("shop");
        Envelope env = Envelope.spontaneous(e, "controller", NOW);
        Decision<ProxyCore.State> d = core.onRecord(ProxyCore.State.EMPTY, new ServiceLoop.Received(raw(e.key(), "{}"), env, NOW));
        assertThat(d.outputs()).isEmpty();
        assertThat(d.effects()).hasSize(1);
        ServiceEndpoints update = (ServiceEndpoints) ((ProxyCore.Apply) d.effects().get(0)).update();
        assertThat(update.key()).isEqualTo(new ServiceKey("shop", "web"));
        assertThat(update.ports().get(0).nodePort()).isEqualTo(30080);
        assertThat(d.state()).isEqualTo(new ProxyCore.State(1, 0, 0));
    }

    @Test
    void aTombstoneDeletesTheServiceItsKeyNames() {
        Decision<ProxyCore.State> d = core.onTombstone(ProxyCore.State.EMPTY, raw("shop/web", null), NOW);
        assertThat(d.outputs()).isEmpty();
        assertThat(d.effects()).containsExactly(new ProxyCore.Apply(new ServiceDeleted(new ServiceKey("shop", "web"))));
        assertThat(d.state().deletions()).isEqualTo(1);
    }

    @Test
    void aRecordFiledUnderAnotherKeyIsSetAside() {
        Envelope env = Envelope.spontaneous(web("shop"), "controller", NOW);
        assertThat(ProxyCore.keyProblem(raw("shop/web", "{}"), env)).isEmpty();
        assertThat(ProxyCore.keyProblem(raw("web", "{}"), env)).hasValue("Endpoints of shop/web under the record key web");
    }

    @Test
    void aReportPublishesEveryServicesCountersKeyedByNode() {
        Map<ServiceKey, CounterSnapshot> counters = Map.of(
                new ServiceKey("default", "web"), new CounterSnapshot(10, 2, 100, 200, 7, 1, 3),
                new ServiceKey("a", "db"), new CounterSnapshot(1, 0, 5, 6, 0, 0, 0));
        Decision<ProxyCore.State> d = core.onInput(ProxyCore.State.EMPTY, new ProxyCore.Report(counters), NOW);
        assertThat(d.outputs()).hasSize(1);
        Outbound out = d.outputs().get(0);
        assertThat(out.topic()).isEqualTo(Topic.PROXY_METRICS);
        assertThat(out.key()).isEqualTo("node-1");
        ProxyMetrics m = (ProxyMetrics) out.payload();
        assertThat(m.node()).isEqualTo("node-1");
        assertThat(m.at()).isEqualTo(NOW);
        assertThat(m.services()).containsExactly(
                new ServiceTraffic("a", "db", 1, 0, 0, 0, 0, 5, 6),
                new ServiceTraffic("default", "web", 10, 2, 7, 1, 3, 100, 200));
        assertThat(d.state().reports()).isEqualTo(1);
    }

    @Test
    void aReportCarriesEachServicesTrafficPerEndpointPod() {
        ServiceKey web = new ServiceKey("default", "web"), db = new ServiceKey("a", "db");
        Map<ServiceKey, CounterSnapshot> counters = Map.of(web, new CounterSnapshot(10, 2, 100, 200, 7, 1, 3),
                db, new CounterSnapshot(1, 0, 5, 6, 0, 0, 0));
        List<EndpointTraffic> endpoints = List.of(new EndpointTraffic("web-1", "10.244.1.9", 6, 1, 4),
                new EndpointTraffic("web-2", "10.244.1.10", 4, 1, 3));
        ProxyMetrics m = (ProxyMetrics) core.onInput(ProxyCore.State.EMPTY, new ProxyCore.Report(counters, Map.of(web, endpoints)), NOW)
                .outputs().get(0).payload();
        assertThat(m.services()).extracting(ServiceTraffic::endpoints).containsExactly(List.of(), endpoints);
        assertThat(dev.berth.bus.Validation.problems(m)).isEmpty();
    }

    @Test
    void aLargeReportIsSplitAtTheContractsLimitWithOneTime() {
        Map<ServiceKey, CounterSnapshot> counters = new HashMap<>();
        int n = 2 * Limits.PROXY_METRICS_SERVICES_MAX_ITEMS + 1;
        for (int i = 0; i < n; i++) counters.put(new ServiceKey("default", String.format("s%05d", i)), new CounterSnapshot(i, 0, 0, 0, 0, 0, 0));
        List<ProxyMetrics> records = ProxyCore.metrics("node-1", NOW, counters);
        assertThat(records).extracting(r -> r.services().size())
                .containsExactly(Limits.PROXY_METRICS_SERVICES_MAX_ITEMS, Limits.PROXY_METRICS_SERVICES_MAX_ITEMS, 1);
        assertThat(records).allMatch(r -> r.at().equals(NOW) && r.node().equals("node-1"));
        assertThat(records.stream().flatMap(r -> r.services().stream()).map(ServiceTraffic::name).distinct().count()).isEqualTo(n);
    }

    @Test
    void aReportWithoutServicesIsOneEmptyRecord() {
        assertThat(ProxyCore.metrics("node-1", NOW, Map.of())).containsExactly(new ProxyMetrics("node-1", NOW, List.of()));
    }

    @Test
    void otherInputsChangeNothing() {
        Decision<ProxyCore.State> d = core.onInput(ProxyCore.State.EMPTY, "something", NOW);
        assertThat(d.outputs()).isEmpty();
        assertThat(d.effects()).isEmpty();
        assertThat(d.state()).isEqualTo(ProxyCore.State.EMPTY);
    }
}
