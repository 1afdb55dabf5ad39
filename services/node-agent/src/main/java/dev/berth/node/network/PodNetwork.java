package dev.berth.node.network;

import java.nio.file.Path;

/**
 * A pod's network after {@link PodNetworks#setUp}: its IP (what {@code status.podIP} reports) and the
 * namespace its containers join ({@code linux.namespaces[type=network].path} in the OCI config).
 */
public record PodNetwork(String pod, String podIP, Path netns, CniResult result, Outcome outcome) {
    public enum Outcome {
        /** ADD ran: a new attachment. */
        ADDED,
        /** a cached attachment whose namespace exists passed CHECK (or the list disables CHECK): nothing re-added */
        ADOPTED,
        /** a cached attachment failed CHECK: DEL, then ADD into the same namespace */
        REPAIRED
    }
}
