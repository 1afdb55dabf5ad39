package dev.berth.proxy;

import dev.berth.proxy.core.Applied;
import dev.berth.proxy.core.EndpointAddress;
import dev.berth.proxy.core.Listener;
import dev.berth.proxy.core.ListenerChange;
import dev.berth.proxy.core.Protocol;
import dev.berth.proxy.core.ProxyTable;
import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import dev.berth.proxy.core.TableUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-node Service proxy's shell: keeps the current {@link ProxyTable}, applies updates
 * through the pure core one at a time, and carries out the listener changes it decides on every
 * {@link ProxyLoop}, adding cluster IPs to the dummy interface before anything binds them. New
 * connections read the table as it is when they arrive; established ones never see it change.
 */
public final class ServiceProxy {
    private static final Logger log = LoggerFactory.getLogger(ServiceProxy.class);
    /** Client connections at once on one node (each holds two sockets); beyond it clients are refused. */
    static final int MAX_CONNECTIONS = 50_000;
    /** A closed listener's socket lingers until its loop's next select: microseconds, unless the loop is stuck. */
    static final java.time.Duration RELEASE_WAIT = java.time.Duration.ofSeconds(2);
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    private final Vertx vertx;
    private final ProxyOptions options;
    private final AtomicReference<ProxyTable> table;
    private final Map<ServiceKey, ServiceCounters> counters = new ConcurrentHashMap<>();
    private final Map<ServiceKey, String> rejections = new ConcurrentHashMap<>();
    /** Where each Service's request durations go (see {@link #timeRequests}); none until someone takes them. */
    private volatile java.util.function.Function<ServiceKey, java.util.function.LongConsumer> durationsOf = key -> null;
    private final Map<ServiceKey, java.util.function.LongConsumer> durations = new ConcurrentHashMap<>();
    private final Map<Listener.Address, String> listenerProblems = new ConcurrentHashMap<>();
    private final List<ProxyLoop> loops = new ArrayList<>();
    private final List<String> deployments = new ArrayList<>();
    private ServiceAddresses addresses;
    /** Updates run one after another: each waits for the listener changes of the one before. */
    private Future<?> lastUpdate = Future.succeededFuture();

    private ServiceProxy(Vertx vertx, ProxyOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.table = new AtomicReference<>(ProxyTable.empty(options.nodeAddress()));
    }

    public static Future<ServiceProxy> start(Vertx vertx, ProxyOptions options) {
        ServiceProxy proxy = new ServiceProxy(vertx, options);
        Future<Void> interfaceReady = options.dummyInterface() == null ? Future.succeededFuture()
                : vertx.executeBlocking(() -> {
                    proxy.addresses = ServiceAddresses.create(options.dummyInterface());
                    return null;
                });
        return interfaceReady.compose(v -> {
            List<Future<String>> deployed = new ArrayList<>();
            for (int i = 0; i < options.eventLoops(); i++) {
                ProxyLoop loop = new ProxyLoop(proxy);
                proxy.loops.add(loop);
                deployed.add(vertx.deployVerticle(loop));
            }
            return Future.all(deployed).map(all -> {
                deployed.forEach(f -> proxy.deployments.add(f.result()));
                return proxy;
            });
        }).recover(e -> proxy.stop().transform(ignored -> Future.failedFuture(e)));
    }

    ProxyOptions options() {
        return options;
    }

    public ProxyTable table() {
        return table.get();
    }

    boolean admit() {
        if (connections.incrementAndGet() > MAX_CONNECTIONS) {
            connections.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        connections.decrementAndGet();
    }

    ServiceCounters counters(ServiceKey key) {
        return counters.computeIfAbsent(key, k -> new ServiceCounters());
    }

    /**
     * Times the HTTP/1 requests of connections that start from now on, handing each Service's durations
     * (nanoseconds, on the connection's event loop: keep it cheap) to what {@code durationsOf} gives for it.
     */
    void timeRequests(java.util.function.Function<ServiceKey, java.util.function.LongConsumer> durationsOf) {
        this.durationsOf = durationsOf;
        durations.clear();
    }

    /** The Service's request durations, or null when nobody takes them; looked up once per connection. */
    java.util.function.LongConsumer requestDurations(ServiceKey key) {
        return durations.computeIfAbsent(key, durationsOf);
    }

    /** Applies one update; the future completes once its listener changes are made. */
    public synchronized Future<Applied> update(TableUpdate update) {
        Future<Applied> next = lastUpdate.transform(ignored -> apply(update));
        lastUpdate = next;
        return next;
    }

    private Future<Applied> apply(TableUpdate update) {
        Applied applied = ProxyTable.apply(table.get(), update);
        if (applied.rejection().isPresent()) {
            log.warn("Update set aside: {}", applied.rejection().get());
            if (rejections.size() < ProxyTable.MAX_SERVICES || rejections.containsKey(update.key())) {
                rejections.put(update.key(), applied.rejection().get()); // bounded: a flood of bad keys cannot grow it
            }
            return Future.succeededFuture(applied);
        }
        rejections.remove(update.key());
        table.set(applied.table());
        if (update instanceof dev.berth.proxy.core.ServiceDeleted) {
            counters.remove(update.key()); // its listeners close with their connections below
            durations.remove(update.key());
        } else {
            counters(update.key()).retain(endpointAddresses((ServiceEndpoints) update));
        }
        Future<Void> done = Future.succeededFuture();
        for (ListenerChange change : applied.changes()) {
            done = done.compose(v -> carryOut(change));
        }
        return done.map(applied);
    }

    private static Set<EndpointAddress> endpointAddresses(ServiceEndpoints s) {
        Set<EndpointAddress> out = new HashSet<>();
        s.endpoints().forEach(e -> e.targetPorts().values().forEach(p -> out.add(new EndpointAddress(e.ip(), p))));
        return out;
    }

    /** One change on every loop. A listener that cannot open is recorded for describe, not fatal. */
    private Future<Void> carryOut(ListenerChange change) {
        if (change instanceof ListenerChange.Open open) {
            Listener l = open.listener();
            if (l.kind() == Listener.Kind.CLUSTER_IP && !options.serveClusterIPs()) {
                return Future.succeededFuture(); // another proxy on this host owns the cluster IPs
            }
            if (l.protocol() == Protocol.UDP) {
                listenerProblems.put(l.address(), "UDP is not proxied yet: " + l);
                return Future.succeededFuture();
            }
            return Future.all(loops.stream().map(loop -> loop.open(l)).toList())
                    .<Void>mapEmpty()
                    .onSuccess(v -> listenerProblems.remove(l.address()))
                    .recover(e -> {
                        log.warn("Cannot listen for {}: {}", l, e.getMessage());
                        listenerProblems.put(l.address(), "cannot listen on " + l.address() + ": " + e.getMessage());
                        return closeEverywhere(l);
                    });
        }
        if (change instanceof ListenerChange.Close close) {
            listenerProblems.remove(close.listener().address());
            return closeEverywhere(close.listener());
        }
        if (addresses == null) {
            return Future.succeededFuture();
        }
        return vertx.<Void>executeBlocking(() -> {
            if (change instanceof ListenerChange.AddAddress add) {
                addresses.add(add.ip());
            } else if (change instanceof ListenerChange.RemoveAddress remove) {
                addresses.remove(remove.ip());
            }
            return null;
        }).recover(e -> {
            log.warn("{} failed: {}", change, e.getMessage());
            return Future.succeededFuture();
        });
    }

    /**
     * Closes a listener on every loop and completes once the kernel no longer listens on its
     * address: only then do new clients get refused, and can a listener bind the address again.
     */
    private Future<Void> closeEverywhere(Listener l) {
        return Future.join(loops.stream().map(loop -> loop.close(l)).toList()).compose(closed -> {
            if (!closed.list().contains(Boolean.TRUE)) {
                return Future.succeededFuture(); // never opened here (failed, or another proxy owns it)
            }
            return vertx.<Void>executeBlocking(() -> {
                if (!ListenerRelease.await(l.address(), RELEASE_WAIT)) {
                    log.warn("{} still listens {} after it was closed", l.address(), RELEASE_WAIT);
                }
                return null;
            });
        });
    }

    public ServiceStatus status(ServiceKey key) {
        ServiceCounters c = counters.getOrDefault(key, new ServiceCounters());
        ServiceCounters.Refusal refusal = c.lastRefusal();
        List<String> problems = table.get().listeners().values().stream()
                .filter(l -> l.service().equals(key))
                .map(l -> listenerProblems.get(l.address()))
                .filter(p -> p != null).sorted().toList();
        return new ServiceStatus(c.service.snapshot(), c.endpointSnapshots(),
                refusal == null ? null : refusal.reason(), refusal == null ? null : refusal.at(),
                problems, rejections.get(key));
    }

    /** Every Service's counters, for the autoscaler and /metrics. */
    public Map<ServiceKey, CounterSnapshot> counters() {
        Map<ServiceKey, CounterSnapshot> out = new java.util.TreeMap<>();
        counters.forEach((k, c) -> out.put(k, c.service.snapshot()));
        return out;
    }

    /** Every Service's traffic per endpoint pod (see {@link ServiceCounters#endpointTraffic}), for the autoscaler. */
    public Map<ServiceKey, java.util.List<dev.berth.bus.contract.EndpointTraffic>> endpointTraffic() {
        Map<ServiceKey, java.util.List<dev.berth.bus.contract.EndpointTraffic>> out = new java.util.TreeMap<>();
        counters.forEach((k, c) -> table().service(k).ifPresent(s -> out.put(k, c.endpointTraffic(s))));
        return out;
    }

    /** Closes every listener and connection and removes the dummy interface with its addresses. */
    public Future<Void> stop() {
        Future<?> undeployed = Future.join(deployments.stream().map(vertx::undeploy).toList());
        return undeployed.transform(ignored -> addresses == null ? Future.<Void>succeededFuture()
                : vertx.<Void>executeBlocking(() -> {
                    addresses.close();
                    return null;
                }));
    }
}
