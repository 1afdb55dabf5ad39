package dev.berth.node.network;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a node wires its pods.
 *
 * @param nodeName   this node
 * @param stateDir   the node's state dir: the generated config, host-local leases and the result cache go under
 *                   {@code <stateDir>/cni/}
 * @param confDir    an operator's CNI config directory (e.g. /etc/cni/net.d with Calico's or flannel's file);
 *                   null = generate the default config from the node's pod CIDR into {@code <stateDir>/cni/net.d}
 * @param pluginPath where plugin executables are looked up (CNI_PATH)
 * @param timeout    how long one plugin may run before it is killed
 * @param masquerade egress masquerade (the bridge's ipMasq) in the generated config; off by default and in tests
 * @param bridge     the generated config's bridge; null = {@link DefaultNetworkConfig#bridgeName}
 * @param hostNetns  null on a real machine; in tests that run nodes as separate hosts, the named network
 *                   namespace that plays this node's host: plugins run inside it (ip netns exec), so the
 *                   bridge, veth host ends, routes and portmap rules are that "host's"
 */
public record NodeNetworkOptions(String nodeName, Path stateDir, Path confDir, List<Path> pluginPath, Duration timeout,
                                 boolean masquerade, String bridge, String hostNetns) {
    private static final Pattern DNS1123 = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public NodeNetworkOptions {
        if (nodeName == null || !DNS1123.matcher(nodeName).matches()) throw new IllegalArgumentException("invalid node name: " + nodeName);
        if (stateDir == null) throw new IllegalArgumentException("no state dir");
        pluginPath = pluginPath == null || pluginPath.isEmpty() ? CniPlugins.DEFAULT_PATH : List.copyOf(pluginPath);
        timeout = timeout == null ? CniPlugins.DEFAULT_TIMEOUT : timeout;
        bridge = bridge == null || bridge.isBlank() ? DefaultNetworkConfig.bridgeName(nodeName) : bridge;
        if (hostNetns != null) NetworkNamespaces.path(hostNetns); // validates the name
    }

    public static NodeNetworkOptions defaults(String nodeName, Path stateDir) {
        return new NodeNetworkOptions(nodeName, stateDir, null, null, null, false, null, null);
    }

    public NodeNetworkOptions withConfDir(Path dir) { return new NodeNetworkOptions(nodeName, stateDir, dir, pluginPath, timeout, masquerade, bridge, hostNetns); }
    public NodeNetworkOptions withPluginPath(List<Path> p) { return new NodeNetworkOptions(nodeName, stateDir, confDir, p, timeout, masquerade, bridge, hostNetns); }
    public NodeNetworkOptions withTimeout(Duration t) { return new NodeNetworkOptions(nodeName, stateDir, confDir, pluginPath, t, masquerade, bridge, hostNetns); }
    public NodeNetworkOptions withMasquerade(boolean m) { return new NodeNetworkOptions(nodeName, stateDir, confDir, pluginPath, timeout, m, bridge, hostNetns); }
    public NodeNetworkOptions withBridge(String b) { return new NodeNetworkOptions(nodeName, stateDir, confDir, pluginPath, timeout, masquerade, b, hostNetns); }

    public NodeNetworkOptions withHostNetns(String ns) { return new NodeNetworkOptions(nodeName, stateDir, confDir, pluginPath, timeout, masquerade, bridge, ns); }

    /** How host tools and plugins are started: directly, or inside the host namespace. */
    public java.util.List<String> launcher() { return hostNetns == null ? List.of() : List.of("ip", "netns", "exec", hostNetns); }

    public Path cniDir() { return stateDir.resolve("cni"); }
    public Path generatedConfDir() { return cniDir().resolve("net.d"); }
    public Path ipamDir() { return cniDir().resolve("ipam"); }
    public Path cacheDir() { return cniDir().resolve("results"); }
    public boolean generated() { return confDir == null; }
}
