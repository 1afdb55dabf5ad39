package dev.berth.proxy.core;

/** What the proxy learns from the endpoints topic: a Service's current endpoints, or its deletion. */
public sealed interface TableUpdate permits ServiceEndpoints, ServiceDeleted {
    ServiceKey key();
}
