package dev.berth.bus.contract;

import java.util.List;

/**
 * A batch of a container's output, shipped by its node in order (records of one pod share its key). {@code restartCount}
 * names the container's instance, so {@code berth logs --previous} finds the one before a restart; {@code dropped}
 * counts lines the node did not ship since the previous batch because the pod exceeded its log rate.
 */
public record ContainerLogs(String pod, String namespace, String node, String container, int restartCount, List<LogLine> lines,
                            long dropped) implements Event {
    public ContainerLogs {
        namespace = Namespaces.orDefault(namespace);
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
