package dev.berth.proxy;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Publisher;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.metrics.LoopMetrics;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.bus.TopicAdmin;
import dev.berth.proxy.dns.ClusterDnsServer;
import dev.berth.proxy.dns.DnsAddress;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's Service proxy as a Berth service: a {@link ServiceLoop} reads berth.endpoints from its beginning on
 * every start (compacted: its records are every Service's current state; no consumer group, every node reads it
 * all), hands each update to the {@link ServiceProxy} data path, and publishes the counters on berth.proxy-metrics
 * (key: the node) every {@link ProxyOptions#metricsInterval()}, idempotently. With {@link ProxyOptions#dns()} it also
 * answers the cluster DNS (docs/dns.md) from the same table, on the DNS address added to the cluster-IP interface.
 * Undeploying closes every listener and connection and removes the cluster-IP interface with its addresses.
 */
public final class ProxyVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ProxyVerticle.class);

    private final BusConfig bus;
    private final ProxyOptions options;
    private final String service;
    private ServiceProxy proxy;
    private ClusterDnsServer dns;
    private ServiceLoop<ProxyCore.State> loop;

    private ServiceMetrics metrics;
    private long sampling = -1;

    public ProxyVerticle(BusConfig bus, ProxyOptions options) {
        this.bus = bus;
        this.options = options;
        this.service = "proxy/" + options.nodeName();
    }

    /** Counts the loop and every Service's traffic into {@code m} (served by whoever runs the proxy); before deploying. */
    public ProxyVerticle measuredBy(ServiceMetrics m) {
        this.metrics = m;
        return this;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            TopicAdmin.ensureTopics(bus);
            return null;
        }).compose(v -> ServiceProxy.start(vertx, options)).compose(started -> startDns(started).map(started)).onSuccess(started -> {
            proxy = started;
            ProxyServiceMetrics own = metrics == null ? null : new ProxyServiceMetrics(metrics);
            if (own != null) started.timeRequests(own::requestDurations); // before any update opens a listener
            loop = ServiceLoop.builder(vertx, bus, service, new ProxyCore(options.nodeName()), ProxyCore.State.EMPTY)
                    .idempotent(Publisher.create(vertx, bus, service))
                    .source(ProxyCore.endpoints())
                    .every(options.metricsInterval(), () -> new ProxyCore.Report(started.counters(), started.endpointTraffic()))
                    .effects(this::run)
                    .metrics(metrics == null ? LoopMetrics.NONE : metrics.loop())
                    .start();
            if (own != null) {
                sampling = vertx.setPeriodic(2000, id -> own.sample(started.counters()));
            }
            log.info("[{}] proxying on {} (node ports), cluster IPs on {}{}", service, options.nodeAddress(),
                    options.dummyInterface() == null ? "local addresses" : options.dummyInterface(),
                    dns == null ? "" : ", cluster DNS on " + options.dns().address() + ":" + dns.udpPort());
        });
    }

    /** The cluster DNS on its address (added to the interface first), answering from the proxy's table; not fatal. */
    private Future<Void> startDns(ServiceProxy started) {
        proxy = started;
        ClusterDnsOptions d = options.dns();
        if (d == null) return Future.succeededFuture();
        Future<Void> address = options.dummyInterface() == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            DnsAddress.add(options.dummyInterface(), d.address());
            return null;
        });
        return address.compose(v -> ClusterDnsServer.start(vertx, d.address(), d.port(), d.domain(), () -> started.table().services()))
                .onSuccess(server -> dns = server)
                .<Void>mapEmpty()
                .recover(e -> { // like a listener that cannot open: the proxy goes on, the log says why
                    log.warn("[{}] cannot answer the cluster DNS on {}:{}: {}", service, d.address(), d.port(), e.getMessage());
                    return Future.succeededFuture();
                });
    }

    private void run(List<Object> effects) {
        for (Object effect : effects) {
            if (effect instanceof ProxyCore.Apply apply) {
                proxy.update(apply.update()).onFailure(e -> log.warn("[{}] applying {} failed: {}", service, apply.update().key(), e.toString()));
            } else {
                log.error("[{}] bug: unknown effect {}", service, effect);
            }
        }
    }

    /** The data path (tests, describe): its table, counters and per-Service status. */
    public ServiceProxy proxy() { return proxy; }

    /** What the loop has seen so far (tests). */
    ProxyCore.State state() { return loop.state(); }

    /** The cluster DNS's UDP and TCP ports (tests: when configured with port 0); -1 without DNS. */
    public int dnsPort() { return dns == null ? -1 : dns.udpPort(); }

    public int dnsTcpPort() { return dns == null ? -1 : dns.tcpPort(); }

    /** The loop first (no update arrives after), the DNS, then every listener, connection and cluster-IP address. */
    @Override
    public Future<?> stop() {
        if (sampling >= 0) vertx.cancelTimer(sampling);
        Future<?> loopStopped = loop == null ? Future.succeededFuture() : loop.stop();
        return loopStopped.eventually(this::stopDns).eventually(() -> proxy == null ? Future.succeededFuture() : proxy.stop());
    }

    private Future<?> stopDns() {
        if (dns == null) return Future.succeededFuture();
        return dns.stop().eventually(() -> options.dummyInterface() == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            DnsAddress.remove(options.dummyInterface(), options.dns().address());
            return null;
        })).recover(e -> {
            log.warn("[{}] removing the cluster DNS address: {}", service, e.getMessage());
            return Future.succeededFuture();
        });
    }
}
