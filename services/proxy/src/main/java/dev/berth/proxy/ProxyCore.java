package dev.berth.proxy;

import dev.berth.bus.Decision;
import dev.berth.bus.Limits;
import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.ProxyMetrics;
import dev.berth.bus.contract.EndpointTraffic;
import dev.berth.bus.contract.ServiceTraffic;
import dev.berth.proxy.core.EndpointsMapping;
import dev.berth.proxy.core.ServiceKey;
import dev.berth.proxy.core.TableUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The proxy's service-loop core. Pure: an Endpoints record or a tombstone becomes an {@link Apply} effect (the
 * shell hands it to {@link ServiceProxy#update}, whose pure {@code ProxyTable} holds the Services); a metrics tick,
 * carrying the counters as data, becomes {@link ProxyMetrics} records. The state only counts what it saw.
 */
public final class ProxyCore implements ServiceLoop.Core<ProxyCore.State> {
    /** What the core has seen: for logs and tests; the Services themselves live in the table. */
    public record State(long updates, long deletions, long reports) {
        public static final State EMPTY = new State(0, 0, 0);
    }

    /** The shell's work: apply this update to the proxy table. */
    public record Apply(TableUpdate update) {}

    /** A metrics tick: every Service's counters, and its endpoints' ({@code endpoints}), as the shell read them when the tick fired. */
    public record Report(Map<ServiceKey, CounterSnapshot> counters, Map<ServiceKey, List<EndpointTraffic>> endpoints) {
        public Report {
            counters = Map.copyOf(counters);
            endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
        }

        public Report(Map<ServiceKey, CounterSnapshot> counters) {
            this(counters, Map.of());
        }
    }

    private final String node;

    public ProxyCore(String node) {
        this.node = node;
    }

    /** berth.endpoints from its beginning every start: it is compacted, so it is the state of every Service. */
    public static ServiceLoop.Source endpoints() {
        return new ServiceLoop.Source("endpoints", List.of(Topic.ENDPOINTS), new dev.berth.bus.LogTail.Start.FromOffsets(Map.of()),
                Set.of(Endpoints.class)).checkedBy(ProxyCore::keyProblem);
    }

    /** A record filed under another key than its Service's would never be deleted by that Service's tombstone. */
    static Optional<String> keyProblem(RawRecord r, dev.berth.bus.Envelope env) {
        if (env.data() instanceof Endpoints e && !e.key().equals(r.key())) {
            return Optional.of("Endpoints of " + e.key() + " under the record key " + r.key());
        }
        return Optional.empty();
    }

    @Override
    public Decision<State> onRecord(State state, ServiceLoop.Received input) {
        Endpoints e = (Endpoints) input.payload();
        State next = new State(state.updates() + 1, state.deletions(), state.reports());
        return new Decision<>(next, List.of(), List.of(new Apply(EndpointsMapping.update(e))), null);
    }

    @Override
    public Decision<State> onTombstone(State state, RawRecord record, Instant now) {
        State next = new State(state.updates(), state.deletions() + 1, state.reports());
        return new Decision<>(next, List.of(), List.of(new Apply(EndpointsMapping.deleted(record.key()))), null);
    }

    @Override
    public Decision<State> onInput(State state, Object input, Instant now) {
        if (!(input instanceof Report report)) return Decision.unchanged(state);
        List<Outbound> out = new ArrayList<>();
        for (ProxyMetrics m : metrics(node, now, report.counters(), report.endpoints())) out.add(new Outbound(Topic.PROXY_METRICS, node, m));
        return Decision.of(new State(state.updates(), state.deletions(), state.reports() + 1), out);
    }

    /**
     * One report: every Service's traffic at {@code at}, sorted by key, in records of at most
     * {@link Limits#PROXY_METRICS_SERVICES_MAX_ITEMS} Services, all with the same {@code at}. No Service: one
     * empty record (the proxy is alive and carries nothing).
     */
    public static List<ProxyMetrics> metrics(String node, Instant at, Map<ServiceKey, CounterSnapshot> counters) {
        return metrics(node, at, counters, Map.of());
    }

    /** The same, each Service with its traffic per endpoint pod ({@code endpoints}; none for a Service not in it). */
    public static List<ProxyMetrics> metrics(String node, Instant at, Map<ServiceKey, CounterSnapshot> counters,
                                             Map<ServiceKey, List<EndpointTraffic>> endpoints) {
        List<ServiceTraffic> all = counters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(c -> traffic(c.getKey(), c.getValue()).withEndpoints(endpoints.getOrDefault(c.getKey(), List.of()))).toList();
        List<ProxyMetrics> out = new ArrayList<>();
        int max = Limits.PROXY_METRICS_SERVICES_MAX_ITEMS;
        for (int from = 0; from < all.size(); from += max) {
            out.add(new ProxyMetrics(node, at, all.subList(from, Math.min(all.size(), from + max))));
        }
        if (out.isEmpty()) out.add(new ProxyMetrics(node, at, List.of()));
        return out;
    }

    static ServiceTraffic traffic(ServiceKey key, CounterSnapshot c) {
        return new ServiceTraffic(key.namespace(), key.name(), c.connectionsTotal(),
                (int) Math.min(Integer.MAX_VALUE, c.connectionsActive()), c.requests(), c.connectFailures(), c.refused(),
                c.bytesIn(), c.bytesOut());
    }
}
