package dev.berth.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Locale;

/**
 * One hostPort of a pod, as CNI's portMappings capability carries it to the portmap plugin: a container
 * port ({@code containers[].ports[].containerPort}) published on the node's port {@code hostPort}.
 *
 * @param protocol "tcp" or "udp" (the pod spec's TCP/UDP, lower-cased as portmap wants)
 * @param hostIP   the node address to publish on; null or empty = all of them
 */
public record PortMapping(int hostPort, int containerPort, String protocol, String hostIP) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public PortMapping {
        if (hostPort < 1 || hostPort > 65535) throw new IllegalArgumentException("hostPort out of 1..65535: " + hostPort);
        if (containerPort < 1 || containerPort > 65535) throw new IllegalArgumentException("containerPort out of 1..65535: " + containerPort);
        protocol = protocol == null || protocol.isBlank() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) throw new IllegalArgumentException("protocol must be TCP or UDP: " + protocol);
        hostIP = hostIP == null || hostIP.isBlank() ? null : hostIP;
    }

    /**
     * The mapping of one {@code containers[].ports[]} entry: only a port with a hostPort is published on the
     * node (Kubernetes' semantics; containerPort alone is informational). Protocol TCP when not given.
     */
    public static java.util.Optional<PortMapping> ofContainerPort(Integer hostPort, int containerPort, String protocol, String hostIP) {
        if (hostPort == null || hostPort == 0) return java.util.Optional.empty();
        return java.util.Optional.of(new PortMapping(hostPort, containerPort, protocol, hostIP));
    }

    public static PortMapping tcp(int hostPort, int containerPort) { return new PortMapping(hostPort, containerPort, "tcp", null); }

    /** The runtimeConfig value of the portMappings capability. */
    public static JsonNode toJson(List<PortMapping> mappings) {
        ArrayNode a = JSON.createArrayNode();
        for (PortMapping m : mappings) {
            var o = a.addObject().put("hostPort", m.hostPort()).put("containerPort", m.containerPort()).put("protocol", m.protocol());
            if (m.hostIP() != null) o.put("hostIP", m.hostIP());
        }
        return a;
    }
}
