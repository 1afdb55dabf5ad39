package dev.berth.proxy;

/**
 * Counters of a Service or of one of its endpoints at one moment, for the autoscaler and /metrics.
 * Bytes "in" flow from clients to endpoints, "out" back. {@code refused} counts clients closed at
 * once because no endpoint could take them; {@code connectFailures} counts failed attempts to
 * endpoints (a client retried elsewhere is not refused).
 */
public record CounterSnapshot(long connectionsTotal, long connectionsActive, long bytesIn, long bytesOut,
                              long requests, long connectFailures, long refused) {}
