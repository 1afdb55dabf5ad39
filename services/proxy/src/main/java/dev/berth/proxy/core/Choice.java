package dev.berth.proxy.core;

/** Where a new connection goes: one endpoint, or nowhere and why (the client is refused at once). */
public sealed interface Choice {
    record Chosen(Endpoint endpoint, EndpointAddress address) implements Choice {}

    record Refused(String reason) implements Choice {}
}
