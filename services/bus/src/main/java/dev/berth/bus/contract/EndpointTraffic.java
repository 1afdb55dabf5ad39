package dev.berth.bus.contract;

/**
 * One endpoint's (pod's) share of a Service's traffic through one node's proxy, counters since the proxy
 * started: what the autoscaler's Pods metric {@code requests_per_second} is taken from.
 */
public record EndpointTraffic(String pod, String ip, long connections, int activeConnections, long requests) {
}
