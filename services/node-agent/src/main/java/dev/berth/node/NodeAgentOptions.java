package dev.berth.node;

import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Taint;
import dev.berth.node.core.RestartBackoff;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Configuration of one node agent.
 *
 * @param stateDir       runc state, bundles and container logs of this node; a restarted agent with the
 *                       same name and state dir adopts the containers it finds there
 * @param imagesDir      the local image store (shared by the local nodes of one host)
 * @param capacity       what the node offers; by default the host's cpus, memory and 110 pods
 * @param restartBackoff delays between restarts of a crashing container
 * @param labels         the node's labels, sent in every heartbeat (pods select nodes by them, e.g. zone)
 * @param taints         the node's taints, sent in every heartbeat (only pods tolerating them come)
 */
public record NodeAgentOptions(String nodeName, Path stateDir, Path imagesDir, NodeResources capacity,
                               Duration heartbeatInterval, Duration resyncInterval, RestartBackoff restartBackoff,
                               Map<String, String> labels, List<Taint> taints) {

    public NodeAgentOptions {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
    }

    public static NodeAgentOptions local(String nodeName, Path stateDir, Path imagesDir) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, hostCapacity(), Duration.ofSeconds(1), Duration.ofSeconds(5),
                RestartBackoff.DEV_DEFAULTS, Map.of(), List.of());
    }

    public NodeAgentOptions withCapacity(NodeResources c) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, c, heartbeatInterval, resyncInterval, restartBackoff, labels, taints);
    }

    public NodeAgentOptions withHeartbeatInterval(Duration d) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, d, resyncInterval, restartBackoff, labels, taints);
    }

    public NodeAgentOptions withRestartBackoff(RestartBackoff b) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, b, labels, taints);
    }

    public NodeAgentOptions withLabels(Map<String, String> l) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, l, taints);
    }

    public NodeAgentOptions withTaints(List<Taint> t) {
        return new NodeAgentOptions(nodeName, stateDir, imagesDir, capacity, heartbeatInterval, resyncInterval, restartBackoff, labels, t);
    }

    /** cgroup parent of this node's containers: {@code /berth/<node>}. */
    public String cgroupParent() { return "/berth/" + nodeName; }

    public static NodeResources hostCapacity() {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return new NodeResources(Runtime.getRuntime().availableProcessors() * 1000L, memory, 110);
    }
}
