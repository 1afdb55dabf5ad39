package dev.berth.node.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the node knows of its pod network: the pod CIDR the controller gave it (from berth.nodes),
 * whether pods must wait for it (the generated CNI config is cut from it; an operator's CNI config or
 * an in-memory node needs none), and each pod's IP once its network is up (reported with every status
 * until the pod's container is removed, as Kubernetes keeps status.podIP while the sandbox exists).
 */
public record PodNetworkState(String podCidr, boolean waitsForPodCidr, Map<String, String> podIPs) {
    public static final PodNetworkState NONE = new PodNetworkState(null, false, Map.of());
    /** The status message of a pod held back until the node has its pod CIDR. */
    public static final String WAITING_FOR_CIDR = "waiting for the node's pod CIDR";

    public PodNetworkState {
        podIPs = podIPs == null ? Map.of() : Map.copyOf(podIPs);
    }

    /** Pods may not start yet: they need the node's pod CIDR and it has none. */
    public boolean blocked() { return waitsForPodCidr && podCidr == null; }

    PodNetworkState withPodCidr(String cidr) { return new PodNetworkState(cidr, waitsForPodCidr, podIPs); }

    PodNetworkState withPodIP(String pod, String ip) {
        if (java.util.Objects.equals(podIPs.get(pod), ip)) return this;
        Map<String, String> m = new TreeMap<>(podIPs);
        if (ip == null) m.remove(pod); else m.put(pod, ip);
        return new PodNetworkState(podCidr, waitsForPodCidr, m);
    }
}
