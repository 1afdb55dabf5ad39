package dev.berth.bus.contract;

import java.time.Instant;
import java.util.List;

/**
 * A node agent's periodic report.
 *
 * @param capacity    the whole machine (or its configured share)
 * @param allocatable capacity minus what running pods reserve
 * @param images      images in the node's local store
 * @param pods        pods the agent currently runs
 * @param startedAt   when this agent process started (a change means the agent restarted)
 */
public record NodeHeartbeat(String node, NodeResources capacity, NodeResources allocatable,
                            List<String> images, List<String> pods, long sequence, Instant startedAt)
        implements Event {
    public NodeHeartbeat {
        images = images == null ? List.of() : List.copyOf(images);
        pods = pods == null ? List.of() : List.copyOf(pods);
    }
}
