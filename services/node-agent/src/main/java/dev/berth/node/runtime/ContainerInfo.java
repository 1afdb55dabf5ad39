package dev.berth.node.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * A container found in the runtime's runc state, e.g. by an agent that restarted.
 *
 * @param pid         host pid of its init process (0 once it ended)
 * @param created     when runc created it
 * @param annotations what the starter put into its OCI config
 * @param exit        how it ended; null while it runs
 */
public record ContainerInfo(String id, long pid, Instant created, Map<String, String> annotations, ExitStatus exit) {
    public ContainerInfo {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean running() { return exit == null; }
}
