package dev.berth.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes an OCI runtime config join the pod's network namespace instead of getting a fresh one:
 * {@code linux.namespaces[type=network]} gains {@code "path": "/run/netns/<sandbox>"}, which runc enters
 * (setns) before it starts the process. Every container of the pod, and every restart, joins the same
 * namespace, so the pod keeps its IP across container restarts.
 */
public final class OciNetworkNamespace {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciNetworkNamespace() {}

    /** Sets the network namespace's path in an OCI config (adds the namespace entry if missing). */
    public static ObjectNode join(ObjectNode config, Path netns) {
        JsonNode linux = config.get("linux");
        ObjectNode l = linux instanceof ObjectNode o ? o : config.putObject("linux");
        JsonNode ns = l.get("namespaces");
        ArrayNode namespaces = ns instanceof ArrayNode a ? a : l.putArray("namespaces");
        for (JsonNode n : namespaces) {
            if ("network".equals(n.path("type").asText())) {
                ((ObjectNode) n).put("path", netns.toString());
                return config;
            }
        }
        namespaces.addObject().put("type", "network").put("path", netns.toString());
        return config;
    }

    /** The same on a bundle's {@code config.json}, rewritten in place. */
    public static void join(Path configJson, Path netns) throws IOException {
        JsonNode c = JSON.readTree(Files.readAllBytes(configJson));
        if (!(c instanceof ObjectNode o)) throw new IOException(configJson + ": not an OCI config object");
        Files.write(configJson, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(join(o, netns)));
    }
}
