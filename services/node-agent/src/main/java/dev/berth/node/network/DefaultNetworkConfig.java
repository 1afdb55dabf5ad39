package dev.berth.node.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The configuration list a node uses when the operator gives none, generated from the pod CIDR the
 * controller allocated it: a Linux bridge per node with the node's gateway address on it (bridge plugin,
 * isGateway), addresses from the node's range (host-local, leases under the node's state dir), a default
 * route via the bridge, and hostPorts (portmap, capability portMappings). Egress masquerade is off unless
 * asked for: pods keep their own source address, and routes between nodes (host-gw) carry pod traffic.
 */
public final class DefaultNetworkConfig {
    public static final String CNI_VERSION = "1.0.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DefaultNetworkConfig() {}

    /** The loopback network run for every pod before its main network, with CNI_IFNAME "lo" (as containerd does). */
    public static CniConfigList loopback() {
        return new CniConfigList("berth-loopback", CNI_VERSION, false,
                List.of(JSON.createObjectNode().put("type", "loopback")), "builtin loopback");
    }

    /** "berth-" and 8 hex digits of the node name's SHA-256: ≤ 15 characters (IFNAMSIZ), unique per node, says whose it is. */
    public static String bridgeName(String nodeName) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(nodeName.getBytes(StandardCharsets.UTF_8));
            return "berth-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String networkName(String nodeName) { return "berth-" + nodeName; }

    /**
     * @param podCidr    the node's range, e.g. "10.244.3.0/24"
     * @param ipamDir    host-local's dataDir (leases), under the node's state dir
     * @param masquerade ipMasq on the bridge: SNAT of pod traffic leaving the pod CIDR (for real hosts whose
     *                   network does not route pod CIDRs); never on in tests
     */
    public static CniConfigList generate(String nodeName, String podCidr, String bridge, Path ipamDir, boolean masquerade) {
        Ipv4Cidr cidr = Ipv4Cidr.parse(podCidr);
        if (cidr.prefix() > 30) throw new IllegalArgumentException("pod CIDR " + podCidr + " leaves no room for a gateway and pods");
        if (bridge.length() > 15) throw new IllegalArgumentException("bridge name longer than 15 characters: " + bridge);
        ObjectNode b = JSON.createObjectNode().put("type", "bridge").put("bridge", bridge)
                .put("isGateway", true).put("ipMasq", masquerade).put("hairpinMode", true);
        ObjectNode ipam = b.putObject("ipam").put("type", "host-local");
        ipam.putArray("ranges").addArray().addObject().put("subnet", cidr.toString());
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        ipam.put("dataDir", ipamDir.toAbsolutePath().toString());
        ObjectNode portmap = JSON.createObjectNode().put("type", "portmap");
        portmap.putObject("capabilities").put("portMappings", true);
        return new CniConfigList(networkName(nodeName), CNI_VERSION, false, List.of(b, portmap), "generated for node " + nodeName);
    }
}
