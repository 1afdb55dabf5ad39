package dev.berth.proxy;

import dev.berth.proxy.core.Balancer;
import dev.berth.proxy.core.Choice;
import dev.berth.proxy.core.EndpointAddress;
import dev.berth.proxy.core.Listener;
import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServicePort;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client connection: chooses an endpoint from the table as it is now, connects, retries on
 * another endpoint when a connect fails (up to maxConnectTries), then pipes both ways with
 * backpressure. The client is paused until then, so nothing it sends is lost or read early.
 * Later table changes never reach an established connection.
 */
final class ProxiedConnection {
    private static final Balancer.RandomSource RANDOM = bound -> ThreadLocalRandom.current().nextInt(bound);

    private final ServiceProxy proxy;
    private final NetClient netClient;
    private final Listener listener;
    private final NetSocket client;
    private final ServiceCounters counters;
    private final Set<EndpointAddress> failed = new HashSet<>();
    private final List<String> failures = new ArrayList<>();
    private boolean clientClosed;
    private int closedSides;
    private NetSocket backend;
    private Counters endpoint;

    ProxiedConnection(ServiceProxy proxy, NetClient netClient, Listener listener, NetSocket client) {
        this.proxy = proxy;
        this.netClient = netClient;
        this.listener = listener;
        this.client = client;
        this.counters = proxy.counters(listener.service());
    }

    void start() {
        client.pause();
        if (!proxy.admit()) {
            counters.refused("the proxy is at its limit of " + ServiceProxy.MAX_CONNECTIONS + " connections");
            client.close();
            return;
        }
        client.closeHandler(v -> {
            clientClosed = true;
            proxy.release();
            if (backend != null) {
                sideClosed(backend);
            }
        });
        attempt();
    }

    private void attempt() {
        ServiceEndpoints service = proxy.table().service(listener.service()).orElse(null);
        if (service == null) {
            refuse("service " + listener.service() + " is not in the proxy's table");
            return;
        }
        Choice choice = Balancer.choose(service, listener.portName(), failed, counters.ejected(System.currentTimeMillis()),
                counters.load, RANDOM);
        if (choice instanceof Choice.Refused refused) {
            refuse(failures.isEmpty() ? refused.reason() : refused.reason() + " " + failures);
            return;
        }
        EndpointAddress target = ((Choice.Chosen) choice).address();
        Counters endpoint = counters.endpoint(target);
        endpoint.active.incrementAndGet(); // a connect in flight is load too, or a burst would pile onto one endpoint
        netClient.connect(target.port(), target.ip()).onComplete(ar -> {
            if (ar.failed()) {
                endpoint.active.decrementAndGet();
                endpoint.connectFailures.increment();
                endpoint.lastFailureMillis = System.currentTimeMillis();
                endpoint.consecutiveFailures++; // approximate when loops race: ejection is a heuristic
                counters.service.connectFailures.increment();
                failed.add(target);
                failures.add(target + ": " + ar.cause().getMessage());
                if (clientClosed) {
                    return;
                }
                if (failed.size() >= proxy.options().maxConnectTries()) {
                    refuse("connect failed " + failed.size() + " times: " + failures);
                } else {
                    attempt();
                }
                return;
            }
            endpoint.consecutiveFailures = 0;
            NetSocket backend = ar.result();
            if (clientClosed) {
                endpoint.active.decrementAndGet();
                backend.close();
                return;
            }
            splice(service, backend, endpoint);
        });
    }

    private void splice(ServiceEndpoints service, NetSocket backend, Counters endpoint) {
        this.backend = backend;
        this.endpoint = endpoint;
        endpoint.total.increment();
        counters.service.total.increment();
        counters.service.active.incrementAndGet();
        boolean speaksHttp = service.port(listener.portName()).filter(ServicePort::speaksHttp).isPresent();
        java.util.function.LongConsumer durations = speaksHttp ? proxy.requestDurations(listener.service()) : null;
        // Timed when someone takes the durations (/metrics); counted either way.
        HttpTiming timing = durations == null ? null : new HttpTiming(durations);
        HttpRequestCounter http = timing != null ? timing.counter() : speaksHttp ? new HttpRequestCounter() : null;
        backend.closeHandler(v -> sideClosed(client));
        new Tap(client, buffer -> {
            endpoint.bytesIn.add(buffer.length());
            counters.service.bytesIn.add(buffer.length());
            if (http != null) {
                int requests = timing != null ? timing.fromClient(buffer, System.nanoTime()) : http.feed(buffer);
                if (requests > 0) {
                    endpoint.requests.add(requests);
                    counters.service.requests.add(requests);
                }
            }
        }).pipeTo(backend);
        new Tap(backend, buffer -> {
            endpoint.bytesOut.add(buffer.length());
            counters.service.bytesOut.add(buffer.length());
            if (timing != null && timing.timing()) {
                timing.fromEndpoint(buffer, System.nanoTime());
            }
        }).pipeTo(client);
    }

    /** Either side closing closes the other; the connection stops counting as active once, when both have. */
    private void sideClosed(NetSocket other) {
        closedSides++;
        if (closedSides == 1) {
            other.close();
        } else if (closedSides == 2) {
            endpoint.active.decrementAndGet();
            counters.service.active.decrementAndGet();
        }
    }

    private void refuse(String reason) {
        counters.refused(reason);
        client.close();
    }
}
