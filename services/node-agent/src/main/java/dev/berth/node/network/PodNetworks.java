package dev.berth.node.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A node's pod networking: one named network namespace per pod, attached to the node's CNI network (and
 * the loopback network) before the pod's containers start, detached when the pod is removed. What each
 * ADD did is cached on disk, so a restarted agent adopts running pods' networking (CHECK) instead of
 * adding it again, and DEL works whatever happened in between. Calls block (plugins run as processes):
 * call them off the event loop. Calls for one pod are serialised, as the spec requires; different pods
 * may be wired concurrently.
 */
public final class PodNetworks implements PodNetworking {
    public static final String IFNAME = "eth0";
    public static final String LOOPBACK_IFNAME = "lo";
    public static final String GENERATED_FILE = "10-berth.conflist";
    /** A pod key: a DNS-1123 name, optionally namespaced as "namespace/name". */
    private static final Pattern POD = Pattern.compile("([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/)?[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PodNetworks.class);
    private final NodeNetworkOptions options;
    private final CniNetwork network;
    private final CniNetwork loopback;
    private final ResultCache cache;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private PodNetworks(NodeNetworkOptions options, CniNetwork network, CniNetwork loopback) {
        this.options = options;
        this.network = network;
        this.loopback = loopback;
        this.cache = new ResultCache(options.cacheDir());
    }

    /**
     * Opens the node's networking. With the generated config, {@code podCidr} (from the node's status) is
     * required the first time and the config is (re)written to {@code <stateDir>/cni/net.d}; null later
     * loads the config written before. With an operator's config dir it is not used, and the first
     * configuration there (name order) is loaded.
     */
    public static PodNetworks open(NodeNetworkOptions options, String podCidr) throws IOException {
        CniPlugins plugins = new CniPlugins(options.pluginPath(), options.timeout(), options.launcher());
        Path dir = options.generated() ? options.generatedConfDir() : options.confDir();
        if (options.generated() && podCidr == null && Files.exists(dir.resolve(GENERATED_FILE))) {
            // e.g. a restarted agent before it read its node status, or cleanup of a stopped node: the config it wrote before
        } else if (options.generated()) {
            if (podCidr == null) throw new IllegalArgumentException("node " + options.nodeName() + " has no pod CIDR yet: cannot generate its CNI config");
            CniConfigList generated = DefaultNetworkConfig.generate(options.nodeName(), podCidr, options.bridge(), options.ipamDir(), options.masquerade());
            Files.createDirectories(dir);
            Path file = dir.resolve(GENERATED_FILE);
            byte[] bytes = generated.toBytes();
            if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) Files.write(file, bytes);
        }
        CniConfigList list = CniConfigList.load(dir)
                .orElseThrow(() -> new IOException("no CNI configuration (*.conflist, *.conf, *.json) in " + dir));
        return new PodNetworks(options, new CniNetwork(list, plugins), new CniNetwork(DefaultNetworkConfig.loopback(), plugins));
    }

    public CniConfigList config() { return network.list(); }
    public NodeNetworkOptions options() { return options; }

    /** The pod's sandbox id: its CNI container id and its namespace's name. '_' never occurs in a DNS-1123 name. */
    public String sandboxId(String pod) {
        if (pod == null || !POD.matcher(pod).matches()) throw new IllegalArgumentException("invalid pod name: " + pod);
        return prefix() + pod.replace('/', '_');
    }

    /** The path runc's config.json names as the pod's network namespace. */
    @Override
    public Path netnsPath(String pod) { return NetworkNamespaces.path(sandboxId(pod)); }

    /**
     * Wires the pod: creates its namespace and runs ADD, or adopts what a previous agent set up. Call before
     * the pod's first container starts; calling it again for a wired pod is a cheap CHECK.
     */
    @Override
    public PodNetwork setUp(String pod, List<PortMapping> ports) throws CniException, IOException {
        String id = sandboxId(pod);
        synchronized (lock(id)) {
            Path netns = NetworkNamespaces.path(id);
            Optional<ResultCache.Entry> cached = cached(id);
            if (cached.isPresent() && Files.exists(netns)) {
                ResultCache.Entry e = cached.get();
                CniNetwork same = new CniNetwork(e.config(), plugins());
                try {
                    same.check(e.runtime(), e.result());
                    return status(pod, netns, e.result(), PodNetwork.Outcome.ADOPTED);
                } catch (CniException failed) {
                    log.warn("pod {}: CHECK of its network failed, deleting and adding it again: {}", pod, failed.getMessage());
                    same.del(e.runtime(), e.result());
                    cache.remove(e.config().name(), id, IFNAME);
                    return status(pod, netns, add(pod, id, netns, ports), PodNetwork.Outcome.REPAIRED);
                }
            }
            if (cached.isPresent()) { // the namespace went away (host reboot): release what the old ADD held
                detach(id, netns, cached);
            } else if (Files.exists(netns)) { // an ADD that never got cached: DEL before ADD again
                network.del(runtime(pod, id, netns, ports), null);
            }
            NetworkNamespaces.create(id);
            ensureLoopback(pod, id, netns);
            return status(pod, netns, add(pod, id, netns, ports), PodNetwork.Outcome.ADDED);
        }
    }

    @Override
    public Optional<PodNetwork> known(String pod) throws IOException {
        String id = sandboxId(pod);
        Path netns = NetworkNamespaces.path(id);
        Optional<ResultCache.Entry> e = cached(id);
        if (e.isEmpty() || !Files.exists(netns)) return Optional.empty();
        Optional<String> ip = e.get().result().podIPv4(IFNAME);
        return ip.map(a -> new PodNetwork(pod, a, netns, e.get().result(), PodNetwork.Outcome.ADOPTED));
    }

    /** Unwires the pod: DEL (with the cached config and result), then its namespace goes. Idempotent. */
    @Override
    public void tearDown(String pod) throws CniException, IOException {
        String id = sandboxId(pod);
        synchronized (lock(id)) {
            Path netns = NetworkNamespaces.path(id);
            detach(id, netns, cached(id));
            Optional<ResultCache.Entry> lo = cache.get(loopback.list().name(), id, LOOPBACK_IFNAME);
            if (lo.isPresent() && Files.exists(netns)) loopback.del(lo.get().runtime(), lo.get().result());
            cache.remove(loopback.list().name(), id, LOOPBACK_IFNAME);
            NetworkNamespaces.delete(id);
        }
        locks.remove(id);
    }

    /** Pods this node has networking for: cached attachments and namespaces with this node's prefix. */
    @Override
    public SortedSet<String> pods() throws IOException {
        SortedSet<String> pods = new TreeSet<>();
        for (String ns : NetworkNamespaces.list(prefix())) pods.add(podOf(ns));
        for (Path f : cache.files()) {
            ResultCache.Entry e = ResultCache.read(f);
            if (e.runtime().containerId().startsWith(prefix())) pods.add(podOf(e.runtime().containerId()));
        }
        return pods;
    }

    /**
     * Unwires every pod of this node and, with the generated config, removes the node's bridge (the bridge
     * plugin creates it on the first ADD and never deletes it). For {@code berth up} stopping.
     */
    @Override
    public List<Exception> tearDownAll() {
        List<Exception> problems = new ArrayList<>();
        try {
            for (String pod : pods()) {
                try {
                    tearDown(pod);
                } catch (CniException | IOException | RuntimeException e) {
                    problems.add(e);
                }
            }
            if (options.generated()) removeBridge();
        } catch (IOException e) {
            problems.add(e);
        }
        return problems;
    }

    /** Deletes the generated config's bridge if it exists. */
    public void removeBridge() throws IOException {
        List<String> ip = options.hostNetns() == null ? List.of("ip") : List.of("ip", "-n", options.hostNetns());
        List<String> show = new ArrayList<>(ip);
        show.addAll(List.of("link", "show", options.bridge()));
        if (!HostCommands.run(show).ok()) return; // never created, or already gone
        List<String> delete = new ArrayList<>(ip);
        delete.addAll(List.of("link", "delete", options.bridge()));
        HostCommands.check(delete);
    }

    /** The pod's main attachment, in whichever network it was added to (not loopback's). */
    private Optional<ResultCache.Entry> cached(String id) throws IOException {
        return cache.find(id, IFNAME, loopback.list().name());
    }

    private CniResult add(String pod, String id, Path netns, List<PortMapping> ports) throws CniException, IOException {
        CniRuntime rt = runtime(pod, id, netns, ports);
        CniResult result = network.add(rt);
        cache.put(new ResultCache.Entry(network.list(), rt, result));
        return result;
    }

    private void ensureLoopback(String pod, String id, Path netns) throws CniException, IOException {
        if (cache.get(loopback.list().name(), id, LOOPBACK_IFNAME).isPresent()) return;
        CniRuntime rt = new CniRuntime(id, netns.toString(), LOOPBACK_IFNAME, args(pod, id), Map.of());
        cache.put(new ResultCache.Entry(loopback.list(), rt, loopback.add(rt)));
    }

    /** DEL of the main network: with the cache if any, else with the current config and no prevResult. */
    private void detach(String id, Path netns, Optional<ResultCache.Entry> cached) throws CniException, IOException {
        boolean nsExists = Files.exists(netns);
        if (cached.isPresent()) {
            ResultCache.Entry e = cached.get();
            CniRuntime rt = nsExists ? e.runtime() : withoutNetns(e.runtime());
            new CniNetwork(e.config(), plugins()).del(rt, e.result());
            cache.remove(e.config().name(), id, IFNAME);
        } else {
            String pod = podOf(id);
            CniRuntime rt = runtime(pod, id, netns, List.of());
            network.del(nsExists ? rt : withoutNetns(rt), null);
        }
    }

    private static CniRuntime withoutNetns(CniRuntime rt) {
        return new CniRuntime(rt.containerId(), null, rt.ifName(), rt.args(), rt.capabilityArgs());
    }

    private CniRuntime runtime(String pod, String id, Path netns, List<PortMapping> ports) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> caps = new LinkedHashMap<>();
        if (ports != null && !ports.isEmpty()) caps.put("portMappings", PortMapping.toJson(ports));
        return new CniRuntime(id, netns.toString(), IFNAME, args(pod, id), caps);
    }

    /** Kubernetes' CNI_ARGS, so plugins that read them (Calico, Cilium) find the pod; IgnoreUnknown for those that don't. */
    private static Map<String, String> args(String pod, String id) {
        int slash = pod.indexOf('/');
        Map<String, String> a = new LinkedHashMap<>();
        a.put("IgnoreUnknown", "1");
        a.put("K8S_POD_NAMESPACE", slash < 0 ? "default" : pod.substring(0, slash));
        a.put("K8S_POD_NAME", slash < 0 ? pod : pod.substring(slash + 1));
        a.put("K8S_POD_INFRA_CONTAINER_ID", id);
        return a;
    }

    private PodNetwork status(String pod, Path netns, CniResult result, PodNetwork.Outcome outcome) throws CniException {
        String ip = result.podIPv4(IFNAME).orElseThrow(() -> CniException.notRun(null, "ADD",
                "network " + network.list().name() + " gave pod " + pod + " no IPv4 address"));
        return new PodNetwork(pod, ip, netns, result, outcome);
    }

    private CniPlugins plugins() { return new CniPlugins(options.pluginPath(), options.timeout(), options.launcher()); }

    private String prefix() { return "berth_" + options.nodeName() + "_"; }

    private String podOf(String id) {
        String rest = id.substring(prefix().length());
        int us = rest.indexOf('_');
        return us < 0 ? rest : rest.substring(0, us) + "/" + rest.substring(us + 1);
    }

    private Object lock(String id) { return locks.computeIfAbsent(id, k -> new Object()); }
}
