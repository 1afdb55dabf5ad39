package dev.berth.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a network configuration list's chain of plugins as the CNI spec says (libcni's AddNetworkList,
 * CheckNetworkList, DelNetworkList): every plugin gets the list's name and cniVersion, the runtimeConfig
 * entries of the capabilities it declares, and prevResult — on ADD the previous plugin's result, on CHECK
 * and DEL the cached result of the ADD. DEL runs the chain in reverse. The first failure stops the chain;
 * a failed ADD is undone by a DEL of the whole chain, as the spec advises.
 */
public final class CniNetwork {
    /** Spec versions whose results and commands Berth knows. */
    public static final Set<String> SUPPORTED_VERSIONS = Set.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CniConfigList list;
    private final CniPlugins plugins;

    public CniNetwork(CniConfigList list, CniPlugins plugins) {
        if (!SUPPORTED_VERSIONS.contains(list.cniVersion())) {
            throw new IllegalArgumentException("network " + list.name() + " (" + list.source() + ") uses cniVersion "
                    + list.cniVersion() + "; supported: " + SUPPORTED_VERSIONS.stream().sorted().toList());
        }
        this.list = list;
        this.plugins = plugins;
    }

    public CniConfigList list() { return list; }

    /** ADD: attaches the container; returns the chain's final result. */
    public CniResult add(CniRuntime rt) throws CniException {
        JsonNode prev = null;
        for (ObjectNode plugin : list.plugins()) {
            String type = plugin.path("type").asText();
            try {
                JsonNode out = plugins.invoke(type, rt.invocation("ADD"), config(plugin, rt, prev));
                if (out != null) prev = out;
            } catch (CniException e) {
                try {
                    del(rt, null);
                } catch (CniException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
        }
        if (prev == null || !prev.isObject()) {
            throw CniException.notRun(null, "ADD", "network " + list.name() + " gave no result");
        }
        return new CniResult((ObjectNode) prev);
    }

    /** CHECK with the cached ADD result. A list with disableCheck, or of a version before 0.4.0, is not checked. */
    public void check(CniRuntime rt, CniResult cached) throws CniException {
        if (!checkable()) return;
        for (ObjectNode plugin : list.plugins()) {
            String type = plugin.path("type").asText();
            if (brokenCheck(type, rt, cached)) continue;
            plugins.invoke(type, rt.invocation("CHECK"), config(plugin, rt, cached.json()));
        }
    }

    /**
     * portmap's CHECK of a pod with port mappings and only IPv4 addresses looks for IPv6 DNAT rules its ADD
     * never made and fails ("could not check ipv6 dnat", containernetworking/plugins#819, in the plugins
     * Debian and Ubuntu ship): skipped, else every adoption of a hostPort pod would DEL and ADD it, and its
     * IP would change under its running container.
     */
    static boolean brokenCheck(String type, CniRuntime rt, CniResult cached) {
        return "portmap".equals(type) && rt.capabilityArgs().containsKey("portMappings")
                && cached.ips().stream().allMatch(CniResult.Ip::isV4);
    }

    public boolean checkable() { return !list.disableCheck() && atLeast040(list.cniVersion()); }

    /** DEL in reverse order, with the cached ADD result when there is one (0.4.0 and later). */
    public void del(CniRuntime rt, CniResult cached) throws CniException {
        JsonNode prev = cached != null && atLeast040(list.cniVersion()) ? cached.json() : null;
        List<ObjectNode> reversed = new ArrayList<>(list.plugins());
        java.util.Collections.reverse(reversed);
        for (ObjectNode plugin : reversed) {
            plugins.invoke(plugin.path("type").asText(), rt.invocation("DEL"), config(plugin, rt, prev));
        }
    }

    /** The stdin of one plugin: its config with the list's name and version, runtimeConfig and prevResult. */
    byte[] config(ObjectNode plugin, CniRuntime rt, JsonNode prevResult) {
        ObjectNode c = plugin.deepCopy();
        c.put("cniVersion", list.cniVersion());
        c.put("name", list.name());
        c.remove("runtimeConfig");
        c.remove("prevResult");
        ObjectNode runtimeConfig = JSON.createObjectNode();
        JsonNode caps = plugin.path("capabilities");
        for (Map.Entry<String, JsonNode> arg : rt.capabilityArgs().entrySet()) {
            if (caps.path(arg.getKey()).asBoolean(false)) runtimeConfig.set(arg.getKey(), arg.getValue());
        }
        if (!runtimeConfig.isEmpty()) c.set("runtimeConfig", runtimeConfig);
        if (prevResult != null) c.set("prevResult", prevResult);
        try {
            return JSON.writeValueAsBytes(c);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean atLeast040(String version) {
        return !version.startsWith("0.1.") && !version.startsWith("0.2.") && !version.startsWith("0.3.");
    }
}
