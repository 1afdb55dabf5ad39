package dev.berth.bus;

import dev.berth.bus.contract.Payload;

/** What a pure core wants published: the shell wraps it in an envelope and sends it. */
public record Outbound(Topic topic, String key, Payload payload) {
}
