package dev.berth.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a runtime tells the plugins about one attachment: the container id, its network namespace, the
 * interface name inside it, CNI_ARGS, and capability arguments (runtimeConfig, e.g. "portMappings"),
 * which only plugins declaring the capability receive.
 */
public record CniRuntime(String containerId, String netns, String ifName, Map<String, String> args,
                         Map<String, JsonNode> capabilityArgs) {
    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,253}");
    private static final Pattern ARG = Pattern.compile("[A-Za-z0-9_]+");

    public CniRuntime {
        Objects.requireNonNull(containerId, "containerId");
        if (!CONTAINER_ID.matcher(containerId).matches()) throw new IllegalArgumentException("invalid CNI container id: " + containerId);
        if (ifName == null || ifName.isEmpty() || ifName.length() > 15 || ifName.equals(".") || ifName.equals("..")
                || ifName.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("invalid interface name: " + ifName);
        }
        args = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
        args.forEach((k, v) -> {
            if (!ARG.matcher(k).matches() || !ARG.matcher(v.replace("-", "_").replace(".", "_").replace("/", "_")).matches()) {
                throw new IllegalArgumentException("CNI_ARGS must be alphanumeric key=value pairs: " + k + "=" + v);
            }
        });
        capabilityArgs = capabilityArgs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(capabilityArgs));
    }

    /** CNI_ARGS: "K=V;K2=V2". */
    public String argsString() {
        StringBuilder s = new StringBuilder();
        args.forEach((k, v) -> s.append(s.isEmpty() ? "" : ";").append(k).append('=').append(v));
        return s.toString();
    }

    CniPlugins.Invocation invocation(String command) {
        return new CniPlugins.Invocation(command, containerId, netns, ifName, argsString());
    }
}
