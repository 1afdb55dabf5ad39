package dev.berth.proxy;

import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.proxy.core.ServiceKey;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The proxy's per-Service series for Prometheus: connections (total and active), requests, failed connects to
 * endpoints, refused clients and bytes each way, read from a snapshot of the proxy's counters taken on its own
 * context ({@link #sample}); a Service's series appear with its first sample. Request durations
 * ({@link #requestDurations}) are recorded live by the connections, into a histogram per Service.
 */
final class ProxyServiceMetrics {
    private final MeterRegistry registry;
    private final Set<ServiceKey> registered = new HashSet<>();
    private volatile Map<ServiceKey, CounterSnapshot> latest = Map.of();

    ProxyServiceMetrics(ServiceMetrics metrics) {
        this.registry = metrics.registry();
    }

    void sample(Map<ServiceKey, CounterSnapshot> counters) {
        latest = Map.copyOf(counters);
        for (ServiceKey key : counters.keySet()) if (registered.add(key)) register(key);
    }

    private void register(ServiceKey key) {
        counter(key, "berth.proxy.connections", "Client connections accepted for the Service", CounterSnapshot::connectionsTotal);
        counter(key, "berth.proxy.requests", "HTTP requests seen on the Service's connections", CounterSnapshot::requests);
        counter(key, "berth.proxy.connect.failures", "Failed connects to endpoints (retried on another)", CounterSnapshot::connectFailures);
        counter(key, "berth.proxy.refused", "Clients closed at once: no endpoint could take them", CounterSnapshot::refused);
        FunctionCounter.builder("berth.proxy.bytes", this, m -> m.value(key, CounterSnapshot::bytesIn)).baseUnit("bytes")
                .description("Bytes proxied, by direction (in: client to endpoint)").tags(tags(key)).tag("direction", "in").register(registry);
        FunctionCounter.builder("berth.proxy.bytes", this, m -> m.value(key, CounterSnapshot::bytesOut)).baseUnit("bytes")
                .description("Bytes proxied, by direction (in: client to endpoint)").tags(tags(key)).tag("direction", "out").register(registry);
        Gauge.builder("berth.proxy.connections.active", this, m -> m.value(key, CounterSnapshot::connectionsActive))
                .description("Client connections open now").tags(tags(key)).register(registry);
        requestTimer(key);
    }

    /** Where the proxy's connections record the Service's request durations, in nanoseconds (any thread). */
    LongConsumer requestDurations(ServiceKey key) {
        Timer timer = requestTimer(key);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Registered once; Micrometer hands back the same timer for the same name and tags. */
    private Timer requestTimer(ServiceKey key) {
        return Timer.builder("berth.proxy.request.duration")
                .description("HTTP/1 requests through the proxy: first byte of the request in to first byte of the response back")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .tags(tags(key)).register(registry);
    }

    private void counter(ServiceKey key, String name, String description, ToLongFunction<CounterSnapshot> f) {
        FunctionCounter.builder(name, this, m -> m.value(key, f)).description(description).tags(tags(key)).register(registry);
    }

    private double value(ServiceKey key, ToLongFunction<CounterSnapshot> f) {
        CounterSnapshot s = latest.get(key);
        return s == null ? 0 : f.applyAsLong(s);
    }

    private static String[] tags(ServiceKey key) { return new String[] {"namespace", key.namespace(), "service_name", key.name()}; }
}
