package dev.berth.controller.core;

import java.time.Instant;
import java.util.List;

/**
 * A node as its heartbeats describe it. Node lifecycle (heartbeat timeout → NotReady → its pods
 * lost and replaced) will build on {@code lastHeartbeat}; for now nodes only tell which images exist.
 */
public record NodeRecord(String name, Instant lastHeartbeat, List<String> images) {
    public NodeRecord {
        images = List.copyOf(images);
    }
}
