package dev.berth.proxy;

import dev.berth.proxy.core.EndpointAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the proxy knows of one Service, for {@code describe service} and /metrics: counters, per
 * endpoint counters (including endpoints that left and still drain), the last refusal and why,
 * listeners that could not open, and the last update that was set aside.
 */
public record ServiceStatus(CounterSnapshot counters, Map<EndpointAddress, CounterSnapshot> endpoints,
                            String lastRefusal, Instant lastRefusalAt, List<String> listenerProblems, String lastRejection) {}
