package dev.berth.node.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pod networking for hollow (simulated) nodes: addresses handed out from the node's pod CIDR like
 * host-local would (lowest free from .2, the gateway being .1), no namespaces, no plugins, nothing on the
 * host. So a benchmark's thousands of hollow pods still get realistic, unique pod IPs.
 */
public final class InMemoryPodNetworking implements PodNetworking {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String nodeName;
    private final Ipv4Cidr cidr;
    private final Map<String, Long> byPod = new TreeMap<>();
    private final TreeSet<Long> taken = new TreeSet<>();

    public InMemoryPodNetworking(String nodeName, String podCidr) {
        this.nodeName = nodeName;
        this.cidr = Ipv4Cidr.parse(podCidr);
        if (cidr.prefix() > 30) throw new IllegalArgumentException("pod CIDR " + podCidr + " leaves no room for pods");
    }

    @Override
    public synchronized PodNetwork setUp(String pod, List<PortMapping> ports) throws CniException {
        Long offset = byPod.get(pod);
        PodNetwork.Outcome outcome = PodNetwork.Outcome.ADOPTED;
        if (offset == null) {
            long last = (1L << (32 - cidr.prefix())) - 2; // the broadcast address is never a pod's
            long candidate = 2;
            while (taken.contains(candidate)) candidate++;
            if (candidate > last) {
                throw new CniException("host-local", "ADD", 100, "no IP addresses available in range set: " + cidr, null);
            }
            offset = candidate;
            byPod.put(pod, offset);
            taken.add(offset);
            outcome = PodNetwork.Outcome.ADDED;
        }
        String ip = cidr.address(offset);
        ObjectNode result = JSON.createObjectNode().put("cniVersion", DefaultNetworkConfig.CNI_VERSION);
        result.putArray("interfaces").addObject().put("name", PodNetworks.IFNAME).put("sandbox", netnsPath(pod).toString());
        result.putArray("ips").addObject().put("address", ip + "/" + cidr.prefix()).put("gateway", cidr.address(1)).put("interface", 0);
        return new PodNetwork(pod, ip, netnsPath(pod), new CniResult(result), outcome);
    }

    @Override
    public synchronized java.util.Optional<PodNetwork> known(String pod) throws java.io.IOException {
        if (!byPod.containsKey(pod)) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(setUp(pod, List.of()));
        } catch (CniException cannotHappenForAKnownPod) {
            throw new java.io.IOException(cannotHappenForAKnownPod);
        }
    }

    @Override
    public synchronized void tearDown(String pod) {
        Long offset = byPod.remove(pod);
        if (offset != null) taken.remove(offset);
    }

    @Override
    public Path netnsPath(String pod) { return Path.of("/run/netns/hollow_" + nodeName + "_" + pod.replace('/', '_')); }

    @Override
    public synchronized SortedSet<String> pods() { return new TreeSet<>(byPod.keySet()); }

    @Override
    public synchronized List<Exception> tearDownAll() {
        byPod.clear();
        taken.clear();
        return new ArrayList<>();
    }
}
