package dev.berth.node;

import dev.berth.bus.contract.NodeResources;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of one node agent.
 *
 * @param stateDir  runc state, bundles and container logs of this node
 * @param imagesDir the local image store (shared by the local nodes of one host)
 * @param capacity  what the node offers; by default the host's cpus, memory and 110 pods
 */
public record NodeAgentOptions(String nodeName, Path stateDir, Path imagesDir, NodeResources capacity,
                               Duration heartbeatInterval, Duration resyncInterval) {

    public static NodeAgentOptions local(String nodeName, Path stateDir, Path imagesDir) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, hostCapacity(), Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    public NodeAgentOptions withCapacity(NodeResources c) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, c, heartbeatInterval, resyncInterval);
    }

    /** cgroup parent of this node's containers: {@code /berth/<node>}. */
    public String cgroupParent() { return "/berth/" + nodeName; }

    public static NodeResources hostCapacity() {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return new NodeResources(Runtime.getRuntime().availableProcessors() * 1000L, memory, 110);
    }
}
