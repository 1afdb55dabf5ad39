package dev.berth.node;

import dev.berth.bus.contract.ContainerPort;
import dev.berth.node.network.CniPlugins;
import dev.berth.node.network.InMemoryPodNetworking;
import dev.berth.node.network.NodeNetworkOptions;
import dev.berth.node.network.PodNetworking;
import dev.berth.node.network.PodNetworks;
import dev.berth.node.network.PortMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a node agent wires its pods' networks: {@link Cni} (a network namespace per pod and CNI plugins),
 * {@link #IN_MEMORY} (addresses only, for in-memory runtimes) or {@link #NONE} (each container gets a
 * fresh namespace with loopback only).
 */
public interface PodNetworkSetup {
    /** Whether pods wait for the node's pod CIDR before they start. */
    boolean waitsForPodCidr();

    /** Opens the node's pod networking; null when there is none (yet). Blocking. */
    PodNetworking open(String node, Path stateDir, String podCidr) throws IOException;

    /** The generated config (bridge + host-local + portmap) from the node's pod CIDR, plugins in the default path. */
    PodNetworkSetup CNI_GENERATED = new Cni(null, List.of());

    /** Addresses from the pod CIDR once the node has one; pods start without an IP before (tests without a controller). */
    PodNetworkSetup IN_MEMORY = new PodNetworkSetup() {
        @Override public boolean waitsForPodCidr() { return false; }
        @Override public PodNetworking open(String node, Path stateDir, String podCidr) {
            return podCidr == null ? null : new InMemoryPodNetworking(node, podCidr);
        }
        @Override public String toString() { return "in-memory pod networking"; }
    };

    PodNetworkSetup NONE = new PodNetworkSetup() {
        @Override public boolean waitsForPodCidr() { return false; }
        @Override public PodNetworking open(String node, Path stateDir, String podCidr) { return null; }
        @Override public String toString() { return "no pod networking"; }
    };

    /** CNI with an operator's config dir ({@code --cni-conf-dir}; null: generated) and plugin path ({@code --cni-bin-dir}; empty: default). */
    static PodNetworkSetup cni(Path confDir, List<Path> pluginPath) { return new Cni(confDir, pluginPath); }

    /**
     * CNI networking: with the generated config, pods wait for the node's pod CIDR, which the config is
     * cut from; an operator's config (Calico, flannel…) is used as it is and needs none.
     */
    record Cni(Path confDir, List<Path> pluginPath) implements PodNetworkSetup {
        public Cni {
            pluginPath = pluginPath == null ? List.of() : List.copyOf(pluginPath);
        }

        @Override public boolean waitsForPodCidr() { return confDir == null; }

        public NodeNetworkOptions options(String node, Path stateDir) {
            return NodeNetworkOptions.defaults(node, stateDir).withConfDir(confDir)
                    .withPluginPath(pluginPath.isEmpty() ? CniPlugins.DEFAULT_PATH : pluginPath);
        }

        /** Null with the generated config before the node's pod CIDR is known, unless a config was written before. */
        @Override
        public PodNetworking open(String node, Path stateDir, String podCidr) throws IOException {
            NodeNetworkOptions o = options(node, stateDir);
            if (o.generated() && podCidr == null && !Files.exists(o.generatedConfDir().resolve(PodNetworks.GENERATED_FILE))) return null;
            return PodNetworks.open(o, podCidr);
        }
    }

    /** The portmap capability of a pod's ports: only those with a hostPort are published. */
    static List<PortMapping> portMappings(List<ContainerPort> ports) {
        List<PortMapping> out = new ArrayList<>();
        for (ContainerPort p : ports) {
            PortMapping.ofContainerPort(p.hostPort(), p.containerPort(), p.protocol(), null).ifPresent(out::add);
        }
        return out;
    }
}
